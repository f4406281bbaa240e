/**
 * Reads and checks a route's body before its handler runs: capped (413 past the route's
 * limit, on every route that could carry one), parsed as a JSON object, and checked against
 * the route's schema with the validator tools use. Bad input gets `invalid_request` naming
 * each bad field; the handler then reads plain data.
 */
import { ExecutorError, invalidRequest, type FieldProblem } from "../errors";
import { MAX_BODY_BYTES, readTextCapped } from "../http";
import { checkJsonSchema } from "../json-schema";
import type { ApiRequest, Route } from "./route";

const NO_BODY_SCHEMA = { type: "object", maxProperties: 0 } as const;

/** The route's checked body, `{}` for a route that takes none. */
export async function readRouteInput(request: ApiRequest, route: Route): Promise<Record<string, unknown>> {
  if (route.method === "GET") return {};
  const text = await readTextCapped(request, route.maxBodyBytes ?? MAX_BODY_BYTES);
  const value = text.trim() === "" ? {} : parseJson(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ExecutorError("invalid_request", "Request body must be a JSON object");
  const problems = checkJsonSchema(route.body ?? NO_BODY_SCHEMA, value);
  if (problems.length > 0) throw invalidRequest(fieldProblems(problems));
  return value as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ExecutorError("invalid_request", "Request body is not valid JSON");
  }
}

/** `/auth/key` → `auth.key`; one problem per field, the first found. */
function fieldProblems(problems: { path: string; problem: string; missing?: string }[]): FieldProblem[] {
  const byField = new Map<string, string>();
  for (const { path, problem, missing } of problems) {
    const segments = path.split("/").filter((segment) => segment !== "");
    if (missing !== undefined) segments.push(missing);
    const field = segments.length > 0 ? segments.join(".") : "body";
    if (!byField.has(field)) byField.set(field, missing !== undefined ? "required" : problem);
  }
  return [...byField].map(([field, problem]) => ({ field, problem }));
}
