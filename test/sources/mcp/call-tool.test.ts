/**
 * callMcpTool against real servers: server-everything over both transports, and the SDK
 * test server in servers.ts for every content type and both kinds of tool error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callMcpTool, McpSourceError, McpToolError, plainText, type McpEndpoint } from "../../../worker/sources/mcp";
import { startEverything, startSessionServer, startTestServer, TEST_TOKEN, type RunningServer, type SessionServer } from "./servers";

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
const testServer = (): McpEndpoint => local(`${test.origin}/mcp`, { Authorization: `Bearer ${TEST_TOKEN}` });

/** The thrown error of `type`, or a failed assertion when there was none. */
async function thrown<T>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error("expected the call to fail");
}

describe.each([
  ["streamable HTTP", () => local(`${streamable.origin}/mcp`)],
  ["SSE", () => local(`${sse.origin}/sse`)],
])("server-everything over %s", (_name, endpoint) => {
  it("echo returns its text", async () => {
    expect(await callMcpTool(endpoint(), "echo", { message: "hello" })).toBe("Echo: hello");
  });

  it("get-tiny-image returns an image item with its MIME type and base64 data", async () => {
    const data = (await callMcpTool(endpoint(), "get-tiny-image", {})) as Array<Record<string, string>>;
    expect(data.map((item) => item.type)).toEqual(["text", "image", "text"]);
    const image = data[1];
    expect(image.mimeType).toBe("image/png");
    expect(image.data).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // The PNG signature, once decoded: the data arrived as given.
    expect([...Buffer.from(image.data, "base64").subarray(1, 4)].map((byte) => String.fromCharCode(byte)).join("")).toBe("PNG");
  });

  it("get-structured-content returns its structuredContent", async () => {
    expect(await callMcpTool(endpoint(), "get-structured-content", { location: "Chicago" })).toEqual({
      temperature: 36,
      conditions: "Light rain / drizzle",
      humidity: 82,
    });
  });

  it("an embedded blob resource and resource links come back as plain items", async () => {
    const reference = (await callMcpTool(endpoint(), "get-resource-reference", { resourceType: "Blob", resourceId: 2 })) as unknown[];
    expect(reference[1]).toMatchObject({ type: "resource", uri: expect.stringContaining("blob/2"), blob: expect.any(String) });
    const links = (await callMcpTool(endpoint(), "get-resource-links", { count: 2 })) as unknown[];
    expect(links.slice(1)).toEqual([
      { type: "resource_link", uri: expect.any(String), name: "Blob Resource 1", mimeType: expect.any(String) },
      { type: "resource_link", uri: expect.any(String), name: "Text Resource 2", mimeType: "text/plain" },
    ]);
  });

  it("an isError result throws McpToolError with the upstream's text", async () => {
    const error = await thrown(callMcpTool(endpoint(), "get-resource-reference", { resourceId: 0 }), McpToolError);
    expect(error.upstreamText).toContain("Invalid resourceId");
  });

  it("an unknown tool throws McpToolError", async () => {
    const error = await thrown(callMcpTool(endpoint(), "no-such-tool", {}), McpToolError);
    expect(error.upstreamText).toContain("no-such-tool");
  });
});

describe("the SDK test server", () => {
  it("converts every content type, in order, to JSON-serialisable items", async () => {
    const data = await callMcpTool(testServer(), "mixed", {});
    expect(data).toEqual([
      { type: "text", text: "hello" },
      { type: "image", mimeType: "image/png", data: "aW1hZ2U=" },
      { type: "audio", mimeType: "audio/wav", data: "YXVkaW8=" },
      { type: "resource", uri: "file:///notes.txt", mimeType: "text/plain", text: "notes" },
      { type: "resource", uri: "file:///blob.bin", mimeType: "application/octet-stream", blob: "AAEC" },
      { type: "resource_link", uri: "file:///linked.txt", name: "linked", mimeType: "text/plain" },
    ]);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });

  it.each([
    ["json-text", '{"a":1}'],
    ["structured", { temperature: 21 }],
    ["empty", null],
  ])("%s returns %j", async (tool, expected) => {
    expect(await callMcpTool(testServer(), tool, {})).toEqual(expected);
  });

  it("passes the arguments and sends the endpoint's headers", async () => {
    expect(await callMcpTool(testServer(), "get-weather", { city: "Oslo" })).toEqual({ temperature: 30 });
  });

  it("an isError result throws McpToolError with its text items as they came (the caller redacts, then cleans)", async () => {
    const error = await thrown(callMcpTool(testServer(), "fails", {}), McpToolError);
    expect(plainText(error.upstreamText, 2_000)).toBe("upstream [31m broke second line");
  });

  it("a JSON-RPC error for the call throws McpToolError", async () => {
    const error = await thrown(callMcpTool(testServer(), "rejects", {}), McpToolError);
    expect(error.upstreamText).toContain("city is required");
  });

  it("without the Authorization header the call is unauthorized", async () => {
    const error = await thrown(callMcpTool(local(`${test.origin}/mcp`), "mixed", {}), McpSourceError);
    expect(error.reason).toBe("unauthorized");
  });

  it("refuses 127.0.0.1 before connecting when local networks are not allowed", async () => {
    const before = test.connections();
    const error = await thrown(callMcpTool({ ...testServer(), allowLocalNetwork: false }, "mixed", {}), McpSourceError);
    expect(error.reason).toBe("unreachable");
    expect(test.connections()).toBe(before);
  });
});

describe("session reuse (tool calls)", () => {
  let server: SessionServer;
  beforeAll(async () => {
    server = await startSessionServer();
  });
  afterAll(() => server.close());
  const endpoint = (): McpEndpoint => ({ url: `${server.origin}/mcp`, headers: { authorization: "Bearer reuse-test" }, allowLocalNetwork: true });

  it("calls on the same server with the same credentials share one session, without a GET stream", async () => {
    const before = server.initializations();
    for (const text of ["a", "b", "c"]) expect(await callMcpTool(endpoint(), "echo", { text })).toBe(`echo: ${text}`);
    expect(server.initializations() - before).toBe(1);
    expect(server.getStreams()).toBe(0);
  });

  it("an isError result leaves the session in use", async () => {
    await callMcpTool(endpoint(), "echo", { text: "warm" });
    const before = server.initializations();
    await expect(callMcpTool(endpoint(), "fail", {})).rejects.toBeInstanceOf(McpToolError);
    expect(await callMcpTool(endpoint(), "echo", { text: "after" })).toBe("echo: after");
    expect(server.initializations()).toBe(before);
  });

  it("a session the server forgot is replaced and the call goes through, once", async () => {
    await callMcpTool(endpoint(), "echo", { text: "warm" });
    server.forgetSessions();
    const [initializations, calls] = [server.initializations(), server.calls()];
    expect(await callMcpTool(endpoint(), "echo", { text: "again" })).toBe("echo: again");
    expect(server.initializations() - initializations).toBe(1);
    expect(server.calls() - calls).toBe(1);
  });

  it("other credentials get a session of their own", async () => {
    await callMcpTool(endpoint(), "echo", { text: "warm" });
    const before = server.initializations();
    await callMcpTool({ ...endpoint(), headers: { authorization: "Bearer someone-else" } }, "echo", { text: "x" });
    expect(server.initializations() - before).toBe(1);
  });
});
