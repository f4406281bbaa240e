/**
 * Calls a tool on an upstream MCP server: on a session this isolate keeps for the server and
 * the connection's credentials (sources/mcp/client.ts), the connection's headers bound to the
 * server's origin, and the result turned into plain data.
 */
import type { InvokeContext, Tool } from "../catalog";
import { credentialsForCall, forgetToken, noteConnectionUse, redactSecrets } from "../connections";
import { ExecutorError } from "../errors";
import { integrationFor } from "./integration-cache";
import { callMcpTool, McpSourceError, McpToolError, plainText, type McpToolInvocation } from "./mcp";

/** Cap on an upstream error message, in characters. */
const MAX_ERROR_CHARS = 2_000;

/** Invokes an upstream MCP tool with already-validated arguments. */
export async function invokeMcp(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  const { db, caller } = context;
  const integration = await integrationFor(db, tool.integration, context.revisions?.catalog);
  if (!integration.sourceUrl) throw new ExecutorError("tool_not_found", `The integration ${tool.integration} has no server URL`);
  const { connection, auth } = await credentialsForCall(db, caller, integration, context.connectionName, { boundConnectionId: context.boundConnectionId, connectionsRevision: context.revisions?.connections });
  const url = new URL(integration.sourceUrl);
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  try {
    const result = await callMcpTool({ url: url.href, headers: auth.headers, allowLocalNetwork: caller.config.allowLocalNetwork }, (tool.invocation as McpToolInvocation).toolName, args);
    return redactSecrets(result, auth.secrets);
  } catch (error) {
    if (error instanceof McpToolError) {
      // Redact the whole text first: cleaning and cutting it could leave part of a secret.
      const text = plainText(redactSecrets(error.upstreamText, auth.secrets), MAX_ERROR_CHARS) || "the tool reported an error without a message";
      throw new ExecutorError("upstream_error", `${tool.address}: ${text}`);
    }
    if (error instanceof McpSourceError) {
      if (error.reason === "unauthorized") {
        if (connection) {
          forgetToken(connection.id);
          await noteConnectionUse(db, connection, "rejected", Date.now());
        }
        throw new ExecutorError("connection_rejected", `${tool.integration} refused the ${connection ? `connection ${connection.name}` : "anonymous call"}`);
      }
      throw new ExecutorError("upstream_error", redactSecrets(`${tool.address}: ${error.message}`, auth.secrets));
    }
    throw error;
  }
}
