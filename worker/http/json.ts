/**
 * JSON responses. Every /api, /mcp and /.well-known answer goes through here,
 * so none of them can ever be HTML.
 */
import { httpError } from "../errors";

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

/** A JSON response with the given status (200 by default). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** The JSON error response for anything thrown (an unknown error becomes `internal [id]`). */
export function errorResponse(thrown: unknown): Response {
  const { status, headers, body } = httpError(thrown);
  return json(body, status, headers);
}
