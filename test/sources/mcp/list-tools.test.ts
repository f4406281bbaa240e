/**
 * listMcpTools against real servers: server-everything over streamable HTTP and over SSE
 * (reached through the fallback), and the SDK test server in servers.ts for paging,
 * credentials and the failures a registration can meet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMcpTools, McpSourceError, type McpEndpoint } from "../../../worker/sources/mcp";
import { IDENTIFIER } from "../../../worker/sources/mcp/tool-names";
import { startEverything, startTestServer, TEST_TOKEN, type RunningServer } from "./servers";

let streamable: RunningServer;
let sse: RunningServer;
let test: RunningServer;

beforeAll(async () => {
  [streamable, sse, test] = await Promise.all([startEverything("streamableHttp"), startEverything("sse"), startTestServer()]);
});

afterAll(async () => {
  await Promise.all([streamable?.close(), sse?.close(), test?.close()]);
});

const local = (url: string, headers: Record<string, string> = {}): McpEndpoint => ({ url, headers, allowLocalNetwork: true });
const authorized = (path: string): McpEndpoint => local(`${test.origin}${path}`, { Authorization: `Bearer ${TEST_TOKEN}` });

/** The thrown McpSourceError, or a failed assertion when there was none. */
async function failure(promise: Promise<unknown>): Promise<McpSourceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(McpSourceError);
    return error as McpSourceError;
  }
  throw new Error("expected the call to fail");
}

describe("server-everything", () => {
  it.each([
    ["streamable HTTP", () => `${streamable.origin}/mcp`, "streamable-http"],
    ["SSE, after the streamable HTTP attempt is refused", () => `${sse.origin}/sse`, "sse"],
  ])("lists its tools over %s", async (_name, url, transport) => {
    const info = await listMcpTools(local(url()));
    expect(info.transport).toBe(transport);
    expect(info.name).toBe("mcp-servers/everything");
    expect(info.version).toEqual(expect.any(String));

    const byName = new Map(info.tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(["echo", "getTinyImage", "getStructuredContent", "toggleSimulatedLogging"]));
    for (const tool of info.tools) {
      expect(tool.name).toMatch(IDENTIFIER);
      expect(tool.description.length).toBeGreaterThan(0);
      expect(tool.inputSchema.type).toBe("object");
    }
    expect(byName.get("getTinyImage")!.invocation).toEqual({ toolName: "get-tiny-image" });
    expect(byName.get("echo")!.inputSchema).toMatchObject({ properties: { message: { type: "string" } } });
    expect(byName.get("echo")!.outputSchema).toBeNull();
    expect(byName.get("getStructuredContent")!.outputSchema).toMatchObject({ type: "object", properties: { temperature: { type: "number" } } });
    // server-everything marks echo and get-tiny-image readOnlyHint: true, the toggles false.
    expect(byName.get("echo")!.defaultPolicy).toBe("allow");
    expect(byName.get("getTinyImage")!.defaultPolicy).toBe("allow");
    expect(byName.get("toggleSimulatedLogging")!.defaultPolicy).toBe("approve");
    expect(byName.get("gzipFileAsResource")!.defaultPolicy).toBe("approve");
  });

  it("gives the same tools over both transports", async () => {
    const [overStreamable, overSse] = await Promise.all([
      listMcpTools(local(`${streamable.origin}/mcp`)),
      listMcpTools(local(`${sse.origin}/sse`)),
    ]);
    expect(overSse.tools).toEqual(overStreamable.tools);
  });
});

describe("the SDK test server", () => {
  it("follows nextCursor through both pages and converts every tool", async () => {
    const info = await listMcpTools(authorized("/mcp"));
    expect(info).toMatchObject({ name: "test server", version: "1.2.3", transport: "streamable-http" });
    expect(info.tools.map((tool) => [tool.invocation.toolName, tool.name, tool.defaultPolicy])).toEqual([
      ["get-weather", "getWeather", "allow"],
      ["a.b/c", "a_b_c", "approve"],
      ["a.b", "a_b", "approve"],
      ["a/b", "a_b_2", "approve"],
      ["mixed", "mixed", "approve"],
      ["json-text", "jsonText", "approve"],
      ["structured", "structured", "approve"],
      ["empty", "empty", "approve"],
      ["fails", "fails", "approve"],
      ["rejects", "rejects", "approve"],
    ]);
    const [weather, titled, , , mixed] = info.tools;
    expect(weather.description).toBe("Current weather. Line twohidden and a tab");
    expect(weather.outputSchema).toEqual({ type: "object", properties: { temperature: { type: "number" } } });
    expect(titled.description).toBe("Only a title");
    expect(mixed.description.length).toBeLessThanOrEqual(401);
  });

  it("stops a server that pages forever", async () => {
    const error = await failure(listMcpTools(local(`${test.origin}/loop`)));
    expect(error.reason).toBe("protocol");
    expect(error.message).toContain("paging");
  });
});

describe("failures", () => {
  it.each([
    ["without the Authorization header", {}],
    ["with a wrong token", { Authorization: "Bearer wrong" }],
  ])("reports refused credentials %s as unauthorized", async (_name, headers) => {
    const error = await failure(listMcpTools(local(`${test.origin}/mcp`, headers)));
    expect(error.reason).toBe("unauthorized");
    expect(error.message).toContain("HTTP 401");
  });

  it("reports a 403 as unauthorized", async () => {
    expect((await failure(listMcpTools(local(`${test.origin}/forbidden`)))).reason).toBe("unauthorized");
  });

  it("refuses 127.0.0.1 before connecting when local networks are not allowed", async () => {
    const before = test.connections();
    const error = await failure(listMcpTools({ ...authorized("/mcp"), allowLocalNetwork: false }));
    expect(error.reason).toBe("unreachable");
    expect(error.message).toContain("ALLOW_LOCAL_NETWORK");
    expect(test.connections()).toBe(before);
  });

  it("reports a closed port as unreachable", async () => {
    const closed = await startTestServer();
    await closed.close();
    expect((await failure(listMcpTools(local(`${closed.origin}/mcp`)))).reason).toBe("unreachable");
  });

  it("reports a server that answers 404 to both transports as a protocol failure", async () => {
    const error = await failure(listMcpTools(local(`${test.origin}/not-mcp`)));
    expect(error.reason).toBe("protocol");
    expect(error.message).toContain("neither as a streamable HTTP nor as an SSE MCP server");
  });

  it("reports a web page as a protocol failure without trying SSE", async () => {
    const error = await failure(listMcpTools(local(`${test.origin}/html`)));
    expect(error.reason).toBe("protocol");
    expect(error.message).not.toContain("SSE");
  });

  it("refuses a stdio server before any connection", async () => {
    const error = await failure(listMcpTools(local("npx -y @modelcontextprotocol/server-everything")));
    expect(error.reason).toBe("stdio_unsupported");
  });
});
