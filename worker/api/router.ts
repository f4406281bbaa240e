/**
 * The router for /api/* and /mcp. Every request passes, in order: the cross-site refusal
 * (403), then the gate (503 / 401 / 404); only then does a route run. Only this router's
 * `catch` turns errors into responses, so every answer is the contract's JSON.
 */
import { Router } from "itty-router";
import { authenticate } from "../auth";
import type { Env } from "../env";
import { ApiError, errorResponse, refuseCrossSite } from "../http";
import { handleMcp } from "../mcp";
import type { ApiHandler, ApiRequest } from "./context";
import {
  approveExecution,
  cancelExecution,
  declineExecution,
  getExecution,
  listExecutionsRoute,
  postExecution,
  resumeExecutionRoute,
  runContext,
} from "./executions";
import {
  addConnectionRoute,
  addIntegrationRoute,
  deleteConnectionRoute,
  deleteIntegrationRoute,
  getIntegrationRoute,
  listConnectionsRoute,
  listIntegrationsRoute,
  patchIntegrationRoute,
  refreshIntegrationRoute,
} from "./integrations";
import { getMe } from "./me";
import { createPolicyRoute, deletePolicyRoute, listPoliciesRoute, updatePolicyRoute } from "./policies";
import { getStatus } from "./status";
import { getToolRoute, listToolsRoute } from "./tools";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The route table: method, itty path pattern, handler. */
const ROUTES: [Method, string, ApiHandler][] = [
  ["GET", "/api/me", getMe],
  ["GET", "/api/status", getStatus],
  ["GET", "/api/integrations", listIntegrationsRoute],
  ["POST", "/api/integrations", addIntegrationRoute],
  ["GET", "/api/integrations/:slug", getIntegrationRoute],
  ["PATCH", "/api/integrations/:slug", patchIntegrationRoute],
  ["DELETE", "/api/integrations/:slug", deleteIntegrationRoute],
  ["POST", "/api/integrations/:slug/refresh", refreshIntegrationRoute],
  ["GET", "/api/integrations/:slug/connections", listConnectionsRoute],
  ["POST", "/api/integrations/:slug/connections", addConnectionRoute],
  ["DELETE", "/api/integrations/:slug/connections/:name", deleteConnectionRoute],
  ["GET", "/api/tools", listToolsRoute],
  ["GET", "/api/tools/:address", getToolRoute],
  ["GET", "/api/policies", listPoliciesRoute],
  ["POST", "/api/policies", createPolicyRoute],
  ["PATCH", "/api/policies/:id", updatePolicyRoute],
  ["DELETE", "/api/policies/:id", deletePolicyRoute],
  ["GET", "/api/executions", listExecutionsRoute],
  ["POST", "/api/executions", postExecution],
  ["GET", "/api/executions/:id", getExecution],
  ["POST", "/api/executions/:id/approve", approveExecution],
  ["POST", "/api/executions/:id/decline", declineExecution],
  ["POST", "/api/executions/:id/cancel", cancelExecution],
  ["POST", "/api/executions/:id/resume", resumeExecutionRoute],
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
for (const [method, path, handler] of ROUTES) router[method.toLowerCase() as Lowercase<Method>](path, handler);
// A known path with another method is a 405, anything else a 404; both JSON.
for (const path of new Set(ROUTES.map(([, path]) => path))) {
  const allowed = ROUTES.filter(([, p]) => p === path).map(([method]) => method);
  router.all(path, () => {
    throw new ApiError("method_not_allowed", `Use ${allowed.join(" or ")} on ${path}`);
  });
}
router.all("*", () => {
  throw new ApiError("not_found", "No such route");
});

/** Handles a request under /api or /mcp. */
export function handleApi(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  return router.fetch(request as ApiRequest, env, ctx);
}
