/**
 * What a route is: method, path, who may call it, the JSON Schemas of its body, its query
 * parameters and its answer, and the handler. One table of these (router.ts) feeds the
 * router, the 405s, the input checks and /api/openapi.json (docs/api.md).
 */
import type { IRequest } from "itty-router";
import type { Caller } from "../auth";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1), as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A request that passed the gate and its route's checks. */
export type ApiRequest = IRequest & {
  caller: Caller;
  /** The body, parsed and checked against the route's schema (`{}` for routes without one). */
  input: Record<string, unknown>;
  /**
   * The route's declared query parameters, checked against their schemas: numbers and
   * booleans converted, defaults filled in, absent ones left out. Undeclared ones are not here.
   */
  queryInput: Record<string, unknown>;
};

export type ApiHandler = (request: ApiRequest, env: Env, ctx: ExecutionContext) => Promise<Response> | Response;

/** One query parameter: its name, the JSON Schema of its (decoded) value, and what it does. */
export interface QueryParameter {
  name: string;
  /**
   * `type: "integer" | "number" | "boolean"` values are converted from the query's text
   * before the check (an empty value counts as absent); `default` fills an absent one.
   */
  schema: JsonSchema;
  description: string;
}

/**
 * The answer on success. Every route declares one; a JSON answer declares its schema, which
 * /api/openapi.json publishes and test/api/schemas.test.ts checks real answers against.
 */
export type RouteResponse =
  | { status: 200 | 201; description: string; schema: JsonSchema }
  /** An HTML page (only /api/docs: every other /api answer is JSON). */
  | { status: 200; description: string; html: true }
  /** Newline-delimited JSON, streamed: `ndjson` is the schema of each line. */
  | { status: 200; description: string; ndjson: JsonSchema }
  /** No body. */
  | { status: 204; description: string }
  /** A redirect; `description` says where to. */
  | { status: 302; description: string };

export interface Route {
  method: Method;
  /** itty-router pattern, e.g. `/api/policies/:id`. */
  path: string;
  summary: string;
  /** Admins only (docs/security.md), checked before the body is read. */
  admin?: boolean;
  /** The JSON Schema of the body. Routes without one take no body (an empty one, or `{}`). */
  body?: JsonSchema;
  /** The largest body accepted (default MAX_BODY_BYTES, 1 MB). */
  maxBodyBytes?: number;
  /** The query parameters the route reads; each is checked before the handler runs. */
  query?: readonly QueryParameter[];
  /** The answer on success. */
  response: RouteResponse;
  handler: ApiHandler;
}
