/**
 * Reads an upstream MCP server's tool list: connect, page through `tools/list` by
 * `nextCursor`, close, and convert. A server that pages forever (or repeats a cursor) is
 * stopped rather than followed. It does not store anything.
 */
import type { Tool as UpstreamTool } from "@modelcontextprotocol/sdk/types.js";
import { LIST_TIMEOUT_MS, withMcpSession, type McpTransportKind } from "./client";
import { McpSourceError } from "./errors";
import type { McpEndpoint } from "./mcp-url";
import { plainText } from "./plain-text";
import { convertTools, type McpTool } from "./tools";

/** An upstream server and its tools. */
export interface McpServerInfo {
  /** The server's self-reported name and version, cleaned; absent when it gave none. */
  name?: string;
  version?: string;
  transport: McpTransportKind;
  tools: McpTool[];
}

/** Most `tools/list` pages read before the server is judged broken. */
export const MAX_TOOL_PAGES = 100;

/** Connects, lists every tool (following `nextCursor` pagination), closes; within 30 s. */
export function listMcpTools(endpoint: McpEndpoint): Promise<McpServerInfo> {
  return withMcpSession(endpoint, LIST_TIMEOUT_MS, async (session) => {
    const { client } = session;
    const upstream: UpstreamTool[] = [];
    // A server that declares no tools capability has none to list (and may not answer the method).
    if (client.getServerCapabilities()?.tools) {
      const cursors = new Set<string>();
      let cursor: string | undefined;
      for (;;) {
        const page = await client.listTools(cursor === undefined ? {} : { cursor }, session.requestOptions());
        upstream.push(...page.tools);
        cursor = page.nextCursor;
        if (cursor === undefined || cursor === "") break;
        if (cursors.has(cursor) || cursors.size + 1 >= MAX_TOOL_PAGES) {
          throw new McpSourceError("protocol", `the MCP server kept paging its tool list (more than ${MAX_TOOL_PAGES} pages, or a repeated cursor)`);
        }
        cursors.add(cursor);
      }
    }
    const server = client.getServerVersion();
    const name = plainText(server?.name, 200);
    const version = plainText(server?.version, 100);
    return {
      ...(name ? { name } : {}),
      ...(version ? { version } : {}),
      transport: session.transport,
      tools: convertTools(upstream),
    };
  });
}
