/**
 * The router for /api/* and /mcp. Every request passes, in order: the cross-site refusal
 * (403), then the gate (503 / 401 / 404); only then does a route run. Only this router's
 * `catch` turns errors into responses, so every answer is the contract's JSON.
 */
import { Router } from "itty-router";
import { authenticate } from "../auth";
import type { Env } from "../env";
import { ApiError, errorResponse, json, refuseCrossSite } from "../http";
import { apiDocument } from "./openapi-document";
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
  detectRoute,
  testConnectionRoute,
  authorizeConnectionRoute,
  oauthCallbackRoute,
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

/** The route table: method, itty path pattern, handler, summary (for /api/openapi.json). */
export const ROUTES: [Method, string, ApiHandler, string][] = [
  ["GET", "/api/openapi.json", () => json(apiDocument(ROUTES)), "This document"],
  ["GET", "/api/me", getMe, "Who the caller is"],
  ["GET", "/api/status", getStatus, "Version, migrations and configuration health"],
  ["GET", "/api/integrations", listIntegrationsRoute, "List integrations"],
  ["POST", "/api/integrations", addIntegrationRoute, "Add an integration (admins)"],
  ["POST", "/api/integrations/detect", detectRoute, "Detect what a URL serves (admins)"],
  ["GET", "/api/integrations/:slug", getIntegrationRoute, "Read an integration"],
  ["PATCH", "/api/integrations/:slug", patchIntegrationRoute, "Rename or describe an integration (admins)"],
  ["DELETE", "/api/integrations/:slug", deleteIntegrationRoute, "Remove an integration with its tools and connections (admins)"],
  ["POST", "/api/integrations/:slug/refresh", refreshIntegrationRoute, "Re-read the source and report the difference (admins)"],
  ["GET", "/api/integrations/:slug/connections", listConnectionsRoute, "List the shared and your own connections"],
  ["POST", "/api/integrations/:slug/connections", addConnectionRoute, "Add a connection"],
  ["DELETE", "/api/integrations/:slug/connections/:name", deleteConnectionRoute, "Remove a connection (?shared=true for the shared one)"],
  ["POST", "/api/integrations/:slug/connections/:name/test", testConnectionRoute, "Try a connection with a harmless call"],
  ["POST", "/api/integrations/:slug/connections/:name/authorize", authorizeConnectionRoute, "A new authorization URL for an OAuth connection"],
  ["GET", "/api/oauth/callback", oauthCallbackRoute, "Where OAuth authorization servers send the user back"],
  ["GET", "/api/tools", listToolsRoute, "Search the catalog"],
  ["GET", "/api/tools/:address", getToolRoute, "Describe one tool"],
  ["GET", "/api/policies", listPoliciesRoute, "List policy rules in order"],
  ["POST", "/api/policies", createPolicyRoute, "Add a policy rule (admins)"],
  ["PATCH", "/api/policies/:id", updatePolicyRoute, "Change or move a policy rule (admins)"],
  ["DELETE", "/api/policies/:id", deletePolicyRoute, "Delete a policy rule (admins)"],
  ["GET", "/api/executions", listExecutionsRoute, "Execution history"],
  ["POST", "/api/executions", postExecution, "Run code (like MCP execute)"],
  ["GET", "/api/executions/:id", getExecution, "One execution with every call"],
  ["POST", "/api/executions/:id/approve", approveExecution, "Approve the paused call (console only)"],
  ["POST", "/api/executions/:id/decline", declineExecution, "Decline the paused call (console only)"],
  ["POST", "/api/executions/:id/cancel", cancelExecution, "Cancel a paused execution"],
  ["POST", "/api/executions/:id/resume", resumeExecutionRoute, "Resume after a decision (like MCP resume)"],
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
