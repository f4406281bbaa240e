/**
 * The router for /api/* and /mcp. Every request passes, in order: the cross-site refusal
 * (403), then the gate (503 / 401 / 404); then its route's checks (admin only, the body
 * capped, parsed and checked against the route's schema); only then does the handler run.
 * Only this router's `catch` turns errors into responses, so every answer is the JSON of
 * docs/api.md.
 */
import { Router } from "itty-router";
import { authenticate, requireAdmin } from "../auth";
import { ExecutorError } from "../errors";
import { errorResponse, json, refuseCrossSite } from "../http";
import { handleMcp } from "../mcp";
import { ADMIN_ROUTES } from "./admin";
import { EXECUTION_ROUTES, runContext } from "./executions";
import { INTEGRATION_ROUTES } from "./integrations";
import { ME_ROUTES } from "./me";
import { apiDocument } from "./openapi-document";
import { POLICY_ROUTES } from "./policies";
import { SETTINGS_ROUTES } from "./settings";
import type { ApiRequest, Method, Route } from "./route";
import { readRouteInput } from "./route-input";
import { TOOL_ROUTES } from "./tools";

/** The route table: it feeds the router, the 405s and /api/openapi.json. */
export const ROUTES: Route[] = [
  { method: "GET", path: "/api/openapi.json", summary: "This document", handler: () => json(apiDocument(ROUTES)) },
  ...ME_ROUTES,
  ...INTEGRATION_ROUTES,
  ...TOOL_ROUTES,
  ...POLICY_ROUTES,
  ...EXECUTION_ROUTES,
  ...ADMIN_ROUTES,
  ...SETTINGS_ROUTES,
];

const router = Router<ApiRequest, [Env, ExecutionContext]>({
  before: [
    (request) => refuseCrossSite(request),
    async (request, env) => {
      request.caller = await authenticate(request, env);
    },
  ],
  catch: (error) => errorResponse(error),
});

// /mcp speaks JSON-RPC through the MCP SDK; every method reaches it (GET and DELETE get 405).
router.all("/mcp", (request, env, ctx) => handleMcp(request, runContext(request, env, ctx)));
for (const route of ROUTES) {
  router[route.method.toLowerCase() as Lowercase<Method>](
    route.path,
    async (request) => {
      if (route.admin) requireAdmin(request.caller.identity);
      request.input = await readRouteInput(request, route);
    },
    route.handler,
  );
}
// A known path with another method is a 405, anything else a 404; both JSON.
for (const path of new Set(ROUTES.map((route) => route.path))) {
  const allowed = ROUTES.filter((route) => route.path === path).map((route) => route.method);
  router.all(path, () => {
    throw new ExecutorError("method_not_allowed", `Use ${allowed.join(" or ")} on ${path}`);
  });
}
router.all("*", () => {
  throw new ExecutorError("not_found", "No such route");
});

/** Handles a request under /api or /mcp. */
export function handleApi(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  return router.fetch(request as ApiRequest, env, ctx);
}
