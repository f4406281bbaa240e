/** Reading an upstream MCP source: connect and list its tools. */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { checkMcpUrl, listMcpTools, McpSourceError } from "../sources";
import type { ToolInput } from "./store";

export interface McpRead {
  tools: ToolInput[];
  name?: string;
  /** The server wants credentials we do not have yet (e.g. OAuth): add a connection, then refresh. */
  needsConnection: boolean;
}

/** The server's tools; a server that demands authorization without credentials yields none. */
export async function readMcp(input: { url: string; headers: Record<string, string>; hasCredentials: boolean }, config: Config): Promise<McpRead> {
  try {
    checkMcpUrl(input.url);
    const info = await listMcpTools({ url: input.url, headers: input.headers, allowLocalNetwork: config.allowLocalNetwork });
    return { tools: info.tools, ...(info.name ? { name: info.name } : {}), needsConnection: false };
  } catch (error) {
    if (!(error instanceof McpSourceError)) throw error;
    if (error.reason === "unauthorized" && !input.hasCredentials) return { tools: [], needsConnection: true };
    if (error.reason === "unreachable") throw new ExecutorError("upstream_unreachable", `Cannot reach the MCP server: ${error.message}`);
    throw new ExecutorError("invalid_source", error.message);
  }
}
