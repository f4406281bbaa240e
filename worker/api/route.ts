/**
 * What a route is: method, path, who may call it, the JSON Schema of its body, and the
 * handler. One table of these (router.ts) feeds the router, the 405s and /api/openapi.json.
 */
import type { IRequest } from "itty-router";
import type { Caller } from "../auth";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** A request that passed the gate and its route's checks. */
export type ApiRequest = IRequest & {
  caller: Caller;
  /** The body, parsed and checked against the route's schema (`{}` for routes without one). */
  input: Record<string, unknown>;
};

export type ApiHandler = (request: ApiRequest, env: Env, ctx: ExecutionContext) => Promise<Response> | Response;

export interface Route {
  method: Method;
  /** itty-router pattern, e.g. `/api/policies/:id`. */
  path: string;
  summary: string;
  /** Admins only (docs/security.md), checked before the body is read. */
  admin?: boolean;
  /** The JSON Schema of the body. Routes without one take no body (an empty one, or `{}`). */
  body?: Record<string, unknown>;
  /** The largest body accepted (default MAX_BODY_BYTES, 1 MB). */
  maxBodyBytes?: number;
  handler: ApiHandler;
}
