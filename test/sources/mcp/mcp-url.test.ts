/** checkMcpUrl: which addresses a Worker can use, and what it says about the others. */
import { describe, expect, it } from "vitest";
import { checkMcpUrl, McpSourceError } from "../../../worker/sources/mcp";

function reasonFor(url: string): string | null {
  try {
    checkMcpUrl(url);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(McpSourceError);
    return (error as McpSourceError).reason;
  }
}

describe("checkMcpUrl", () => {
  it.each([
    ["https://mcp.example.com/mcp", null],
    ["http://127.0.0.1:3001/mcp", null],
    ["  https://mcp.example.com/sse  ", null],
    ["https://example.com/servers/weather.js", null],
    ["stdio:", "stdio_unsupported"],
    ["stdio://weather", "stdio_unsupported"],
    ["file:///usr/local/bin/weather-server", "stdio_unsupported"],
    ["npx -y @modelcontextprotocol/server-everything", "stdio_unsupported"],
    ["npx", "stdio_unsupported"],
    ["uvx mcp-server-fetch", "stdio_unsupported"],
    ["docker run -i --rm mcp/fetch", "stdio_unsupported"],
    ["python -m weather_server", "stdio_unsupported"],
    ["node.exe server.js", "stdio_unsupported"],
    ["mcp-server-fetch --port 3000", "stdio_unsupported"],
    ["/usr/local/bin/weather-server", "stdio_unsupported"],
    ["./server.py", "stdio_unsupported"],
    ["~/bin/server", "stdio_unsupported"],
    ["server.py", "stdio_unsupported"],
    ["C:\\servers\\weather.exe", "stdio_unsupported"],
    ["@modelcontextprotocol/server-everything", "stdio_unsupported"],
    ["wss://mcp.example.com/ws", "unreachable"],
    ["ftp://example.com/mcp", "unreachable"],
    ["mcp.example.com/mcp", "unreachable"],
    ["localhost:3000/mcp", "unreachable"],
    ["", "unreachable"],
  ])("%j → %s", (url, reason) => {
    expect(reasonFor(url)).toBe(reason);
  });

  it("says what to do instead of a stdio server, and never echoes the address", () => {
    try {
      checkMcpUrl("npx -y weather-server --token s3cret");
      throw new Error("expected a refusal");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("stdio MCP servers cannot run inside a Cloudflare Worker; expose it over streamable HTTP");
      expect(message).not.toContain("s3cret");
    }
  });
});
