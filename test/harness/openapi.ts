/**
 * Reading the Worker's own /api/openapi.json in tests: its operations, their published
 * answer schemas (made checkable with worker/json-schema by carrying `components` along, so
 * their `$ref`s resolve), and a check of a live answer against what the document says.
 */
import { expect } from "vitest";
import { checkJsonSchema } from "../../worker/json-schema";
import type { TestWorker } from "./worker";

export interface ApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
}

export interface Operation {
  operationId: string;
  summary: string;
  parameters?: { name: string; in: "path" | "query"; required?: boolean; description?: string; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; $ref?: string; content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
}

/** The statuses a route may declare as its success. */
export const SUCCESS_STATUSES = ["200", "201", "204", "302"];

/** GET /api/openapi.json as `email`. */
export async function fetchApiDocument(worker: TestWorker, email = "admin@example.com"): Promise<ApiDocument> {
  const response = await worker.asUser(email, "/api/openapi.json");
  expect(response.status).toBe(200);
  return (await response.json()) as ApiDocument;
}

/** Every operation as `METHOD /path` (the document's templated path). */
export function operations(document: ApiDocument): { method: string; path: string; key: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}`, operation })),
  );
}

/** The operation's success status (the one of SUCCESS_STATUSES it declares). */
export function successStatus(operation: Operation): string | undefined {
  const declared = Object.keys(operation.responses).filter((status) => SUCCESS_STATUSES.includes(status));
  return declared.length === 1 ? declared[0] : undefined;
}

/** A schema from the document, made self-contained for checking: `components` rides along for its `$ref`s. */
export function checkable(document: ApiDocument, schema: unknown): object {
  return { ...(schema as object), components: document.components };
}

/**
 * Asserts that `response` is what the document promises for `METHOD path`: its declared
 * success status, and a JSON body that matches the published schema (for NDJSON, every line
 * matches the line schema). Returns the body (for NDJSON, the parsed lines).
 */
export async function expectDocumented(document: ApiDocument, method: string, path: string, response: Response): Promise<unknown> {
  const operation = document.paths[path]?.[method.toLowerCase()];
  expect(operation, `${method} ${path} is in the document`).toBeDefined();
  const text = await response.text();
  const status = successStatus(operation!);
  expect(String(response.status), `${method} ${path}: ${text.slice(0, 500)}`).toBe(status);
  const content = operation!.responses[status!]!.content;
  if (content?.["text/html"]) {
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    return text;
  }
  const lineSchema = content?.["application/x-ndjson"]?.schema;
  if (lineSchema !== undefined) {
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
    for (const line of lines) expect(checkJsonSchema(checkable(document, lineSchema), line), `${method} ${path} line ${JSON.stringify(line).slice(0, 1000)}`).toEqual([]);
    return lines;
  }
  const schema = content?.["application/json"]?.schema;
  if (schema === undefined) {
    expect(text, `${method} ${path} answers no body`).toBe("");
    return undefined;
  }
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  expect(checkJsonSchema(checkable(document, schema), body), `${method} ${path} answered ${text.slice(0, 1000)}`).toEqual([]);
  return body;
}

/** `/api/integrations/{slug}/connections/{name}` with `{x}` replaced from `values` (default: `x`). */
export function concretePath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(values[name] ?? "x"));
}
