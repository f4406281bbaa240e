/**
 * The router for /api/* and /mcp. Every request passes, in order: the cross-site refusal
 * (403), then the gate (503 / 401 / 404); then its route's checks (admin only, the declared
 * query parameters checked against their schemas, the body capped, parsed and checked against
 * the route's schema); only then does the handler run. Only this router's `catch` turns
 * errors into responses, so every answer is the JSON of docs/api.md (the one HTML page,
 * /api/docs, is its route's own answer; its errors are JSON too).
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
import { OAUTH_APP_ROUTES } from "./oauth-apps";
import { apiDocument } from "./openapi-document";
import { PERSONAL_POLICY_ROUTES, POLICY_ROUTES } from "./policies";
import { PRESET_ROUTES } from "./presets";
import { SETTINGS_ROUTES } from "./settings";
import type { ApiRequest, Method, Route } from "./route";
import { referencePage } from "./reference-page";
import { readRouteInput, readRouteQuery } from "./route-input";
import { OPENAPI_DOCUMENT } from "./schemas";
import { TOOLKIT_ROUTES } from "./toolkits";
import { TOOL_ROUTES } from "./tools";

/**
 * The route table: it feeds the router, the 405s, the input checks and /api/openapi.json.
 * Every route declares its answer (`response`): test/api/openapi-document.test.ts fails for
 * one whose published schema is missing, test/api/schemas.test.ts for one whose answer does
 * not match it (and for a route it does not call).
 */
export const ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/openapi.json",
    summary: "This document: the OpenAPI 3.1 description of every route",
    response: { status: 200, description: "The OpenAPI document", schema: OPENAPI_DOCUMENT },
    handler: () => json(apiDocument(ROUTES)),
  },
  {
    method: "GET",
    path: "/api/docs",
    summary: "The interactive reference for this document (an HTML page)",
    response: { status: 200, description: "Swagger UI reading /api/openapi.json", html: true },
    handler: () => referencePage(),
  },
  ...ME_ROUTES,
  ...INTEGRATION_ROUTES,
  ...PRESET_ROUTES,
  ...OAUTH_APP_ROUTES,
  ...TOOL_ROUTES,
  ...POLICY_ROUTES,
  ...PERSONAL_POLICY_ROUTES,
  ...TOOLKIT_ROUTES,
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
// A toolkit's endpoint is the same server over the toolkit's slice of the catalog.
router.all("/mcp", (request, env, ctx) => handleMcp(request, runContext(request, env, ctx)));
router.all("/mcp/toolkits/:slug", (request, env, ctx) => handleMcp(request, runContext(request, env, ctx), request.params.slug!));
for (const route of ROUTES) {
  router[route.method.toLowerCase() as Lowercase<Method>](
    route.path,
    async (request) => {
      if (route.admin) requireAdmin(request.caller.identity);
      request.queryInput = readRouteQuery(request.query, route);
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
