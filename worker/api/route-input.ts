/**
 * Reads and checks a route's input before its handler runs, with the validator tools use:
 * the body (capped: 413 past the route's limit, on every route that could carry one; parsed
 * as a JSON object; checked against the route's schema) and the query parameters the route
 * declares (each checked against its schema). Bad input gets `invalid_request` naming each
 * bad field; the handler then reads plain data. Query parameters a route does not declare
 * are ignored, as they always were (a client may add its own, e.g. to bust a cache).
 */
import { ExecutorError, invalidRequest, type FieldProblem } from "../errors";
import { MAX_BODY_BYTES, readJsonText, type Page } from "../http";
import { checkJsonSchema, type SchemaProblem } from "../json-schema";
import type { ApiRequest, JsonSchema, QueryParameter, Route } from "./route";

const NO_BODY_SCHEMA = { type: "object", maxProperties: 0 } as const;

/** The route's checked body, `{}` for a route that takes none. */
export async function readRouteInput(request: ApiRequest, route: Route): Promise<Record<string, unknown>> {
  if (route.method === "GET") return {};
  const text = await readJsonText(request, route.maxBodyBytes ?? MAX_BODY_BYTES);
  const value = text.trim() === "" ? {} : parseJson(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ExecutorError("invalid_request", "Request body must be a JSON object");
  const problems = checkJsonSchema(route.body ?? NO_BODY_SCHEMA, value);
  if (problems.length > 0) throw invalidRequest(fieldProblems(problems));
  return value as Record<string, unknown>;
}

/**
 * The route's declared query parameters, checked: a repeated one counts by its first value;
 * numbers and booleans are converted from text (an empty one counts as absent), and an
 * absent one takes its schema's `default`.
 */
export function readRouteQuery(query: Record<string, string | string[] | undefined>, route: Route): Record<string, unknown> {
  if (!route.query || route.query.length === 0) return {};
  const values: Record<string, unknown> = {};
  for (const { name, schema } of route.query) {
    const raw = query[name];
    const value = fromQueryText(Array.isArray(raw) ? raw[0] : raw, schema);
    if (value !== undefined) values[name] = value;
    else if (schema.default !== undefined) values[name] = schema.default;
  }
  const problems = checkJsonSchema(querySchema(route.query), values);
  if (problems.length > 0) throw invalidRequest(fieldProblems(problems));
  return values;
}

/** The checked `limit` and `offset` of a route that declares schemas.ts `PAGE_QUERY`. */
export function pageInput(request: ApiRequest): Page {
  return { limit: request.queryInput.limit as number, offset: request.queryInput.offset as number };
}

/** One object schema per route's parameters, kept so the compiled validator is reused. */
const querySchemas = new WeakMap<readonly QueryParameter[], JsonSchema>();

function querySchema(parameters: readonly QueryParameter[]): JsonSchema {
  let schema = querySchemas.get(parameters);
  if (!schema) {
    schema = { type: "object", properties: Object.fromEntries(parameters.map(({ name, schema: value }) => [name, value])) };
    querySchemas.set(parameters, schema);
  }
  return schema;
}

/** Text as the schema's type wants it; text that does not convert is left for the check to refuse. */
function fromQueryText(text: string | undefined, schema: JsonSchema): unknown {
  if (text === undefined) return undefined;
  const type = schema.type;
  if (type === "integer" || type === "number") {
    if (text.trim() === "") return undefined;
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  }
  if (type === "boolean") {
    if (text === "") return undefined;
    return text === "true" ? true : text === "false" ? false : text;
  }
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ExecutorError("invalid_request", "Request body is not valid JSON");
  }
}

/** `/auth/key` → `auth.key`; one problem per field, the first found. */
function fieldProblems(problems: SchemaProblem[]): FieldProblem[] {
  const byField = new Map<string, string>();
  for (const { path, problem, missing } of problems) {
    const segments = path.split("/").filter((segment) => segment !== "");
    if (missing !== undefined) segments.push(missing);
    const field = segments.length > 0 ? segments.join(".") : "body";
    if (!byField.has(field)) byField.set(field, missing !== undefined ? "required" : problem);
  }
  return [...byField].map(([field, problem]) => ({ field, problem }));
}
