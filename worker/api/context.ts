/** The request type handlers behind the gate receive, and the shape of a handler. */
import type { IRequest } from "itty-router";
import type { Caller } from "../auth";
import type { Env } from "../env";

/** A request that passed the gate: `caller` holds the identity and config. */
export type ApiRequest = IRequest & { caller: Caller };

export type ApiHandler = (request: ApiRequest, env: Env, ctx: ExecutionContext) => Promise<Response> | Response;
