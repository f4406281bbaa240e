/**
 * Calls one upstream MCP tool, `tools/call` on a reused or new session, and turns the result into data
 * (content.ts). An `isError` result, or a JSON-RPC error the server sends for the call,
 * is the tool's failure (McpToolError) rather than the server's (McpSourceError). It does
 * not validate arguments (the catalog did) or redact secrets (the caller does).
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CALL_TIMEOUT_MS, withMcpSession, type McpSession } from "./client";
import { resultData, resultText } from "./content";
import { McpToolError } from "./errors";
import type { McpEndpoint } from "./mcp-url";


/**
 * Calls `toolName` (the upstream's own name) with `args` within 60 s, on a session reused from
 * an earlier call when this isolate has one for the same server and credentials (client.ts).
 * Returns the result's data (see content.ts); throws McpToolError with the upstream's text
 * when the tool reports an error, McpSourceError when the server cannot be used.
 */
export function callMcpTool(endpoint: McpEndpoint, toolName: string, args: Record<string, unknown>): Promise<unknown> {
  const call = async (session: McpSession): Promise<unknown> => {
    let result;
    try {
      result = await session.client.callTool({ name: toolName, arguments: args }, undefined, session.requestOptions());
    } catch (error) {
      throw session.sourceFailure(error) ?? rejectedCall(error) ?? error;
    }
    // Servers on the 2024-10-07 protocol answer with `toolResult` instead of content.
    if ("toolResult" in result) return result.toolResult ?? null;
    const outcome = result as CallToolResult;
    if (outcome.isError === true) throw new McpToolError(resultText(outcome));
    return resultData(outcome);
  };
  return withMcpSession(endpoint, CALL_TIMEOUT_MS, call, { reuse: true });
}

// --- private ---

/**
 * A JSON-RPC error the server sent for this call (unknown tool, invalid arguments, its own
 * failure) is about the call, not the server. The SDK's own codes for a lost connection or
 * a timeout are not: those stay source failures.
 */
function rejectedCall(error: unknown): McpToolError | null {
  if (!(error instanceof McpError)) return null;
  if (error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout) return null;
  return new McpToolError(error.message);
}
