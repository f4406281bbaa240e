/**
 * Calls an OpenAPI operation: build the request from the arguments, add the connection's
 * credentials, send it through the guarded client, and turn the answer into data (JSON, text
 * or binary; with the status and headers for `response: "full"`) or a tool error. Credentials
 * go only to the integration's origin; any stored secret the upstream echoes back is redacted
 * before the program sees it.
 */
import type { InvokeContext, Tool } from "../catalog";
import { credentialsForCall, renewCredentials, type AppliedAuth } from "../connections";
import { ExecutorError } from "../errors";
import type { OutboundRequest } from "../outbound";
import { readAnswer } from "./http-answer";
import { sendCall } from "./http-call";
import { integrationFor } from "./integration-cache";
import { authHintsOf, buildRequest, type OpenApiInvocation, type SecurityScheme } from "./openapi";

/** Invokes an OpenAPI tool with already-validated arguments. */
export async function invokeOpenApi(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  const { db, caller } = context;
  const integration = await integrationFor(db, tool.integration, context.revisions?.catalog);
  if (!integration.baseUrl) throw new ExecutorError("tool_not_found", `The integration ${tool.integration} has no base URL`);
  const schemes = ((integration.config?.securitySchemes ?? {}) as Record<string, SecurityScheme>) ?? {};
  const invocation = tool.invocation as OpenApiInvocation;

  const hints = authHintsOf(schemes, invocation.security);
  const credentials = await credentialsForCall(db, caller, integration, context.connectionName, { hints, boundConnectionId: context.boundConnectionId, connectionsRevision: context.revisions?.connections });
  const needsCredentials = invocation.security.length > 0 && !invocation.security.some((requirement) => requirement.length === 0);
  if (!credentials.connection && needsCredentials) {
    throw new ExecutorError("no_connection", `${tool.address} needs credentials: add a connection to ${tool.integration} (POST /api/integrations/${tool.integration}/connections)`);
  }

  const request = buildRequest(invocation, integration.baseUrl, args);
  const withAuth = (auth: AppliedAuth): OutboundRequest => {
    const url = new URL(request.url);
    for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: "application/json, */*;q=0.5", ...request.headers, ...auth.headers };
    const cookies = Object.entries(auth.cookies).map(([name, value]) => `${name}=${value}`);
    if (cookies.length > 0) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join("; ");
    return { url: url.href, method: request.method, headers, body: request.body };
  };

  const { response, auth, secrets } = await sendCall(withAuth, {
    tool,
    origin: new URL(integration.baseUrl).origin,
    credentials,
    renew: (rejected) => renewCredentials(db, caller, integration, rejected, { hints }),
    db,
    allowLocalNetwork: caller.config.allowLocalNetwork,
  });
  return readAnswer(response, secrets, Object.keys(auth.headers), context.response ?? "data");
}
