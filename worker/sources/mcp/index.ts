/**
 * MCP source: an upstream MCP server (streamable HTTP, or SSE for older servers) as a set
 * of tools, and a tool call forwarded to it. Each operation is one short session through
 * the guarded outbound client. stdio servers are refused: a Worker cannot spawn them.
 * Storing tools, choosing credentials and redacting secrets belong to the callers.
 */
export { callMcpTool } from "./call-tool";
export type { McpTransportKind } from "./client";
export type { McpContentItem } from "./content";
export { McpSourceError, McpToolError, type McpSourceFailure } from "./errors";
export { listMcpTools, type McpServerInfo } from "./list-tools";
export { checkMcpUrl, type McpEndpoint } from "./mcp-url";
export type { McpTool, McpToolInvocation } from "./tools";
export { plainText } from "./plain-text";
