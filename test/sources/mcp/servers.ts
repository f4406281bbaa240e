/**
 * Real MCP servers for the MCP source's tests: `server-everything` in a child process (in
 * streamable HTTP or SSE mode), and a small SDK server over node:http whose answers the
 * tests choose (paging, credentials, every content type, error shapes). No mocks: the
 * client under test speaks real HTTP to both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { resolve } from "node:path";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";

export interface RunningServer {
  origin: string;
  /** Connections accepted so far (node:http servers only). */
  connections(): number;
  close(): Promise<void>;
}

/** Starts `server-everything` in `mode` on a free port and waits for its "listening" line. */
export async function startEverything(mode: "streamableHttp" | "sse"): Promise<RunningServer> {
  const port = await freePort();
  const script = resolve(import.meta.dirname, "../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js");
  const child: ChildProcess = spawn(process.execPath, [script, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((ready, fail) => {
    let seen = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      // streamableHttp says "listening on port N", sse says "running on port N".
      if (new RegExp(`(listening|running) on port ${port}`).test(seen)) ready();
    });
    child.once("exit", (code) => fail(new Error(`server-everything ${mode} exited (${code}): ${seen}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => 0,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill();
      await exited;
    },
  };
}

/** The bearer token `/mcp` on the test server wants. */
export const TEST_TOKEN = "test-token-1";

/** Tools of the test server, over two `tools/list` pages on `/mcp`. */
export const PAGE_ONE: Tool[] = [
  {
    name: "get-weather",
    description: "Current weather.\u0007 Line two\u202Ehidden\n\tand a tab",
    inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    outputSchema: { type: "object", properties: { temperature: { type: "number" } } },
    annotations: { readOnlyHint: true },
  },
  { name: "a.b/c", inputSchema: { type: "object" }, title: "Only a title" },
  { name: "a.b", description: "dot", inputSchema: { type: "object" }, annotations: { readOnlyHint: true, destructiveHint: true } },
];
export const PAGE_TWO: Tool[] = [
  { name: "a/b", description: "slash", inputSchema: { type: "object" }, annotations: { destructiveHint: false } },
  { name: "mixed", description: "x".repeat(1000), inputSchema: { type: "object" } },
  { name: "json-text", description: "text that looks like JSON", inputSchema: { type: "object" } },
  { name: "structured", description: "structured content", inputSchema: { type: "object" } },
  { name: "empty", description: "no content", inputSchema: { type: "object" } },
  { name: "fails", description: "isError", inputSchema: { type: "object" } },
  { name: "rejects", description: "JSON-RPC error", inputSchema: { type: "object" } },
];

/** A result per test tool name. */
const RESULTS: Record<string, CallToolResult> = {
  mixed: {
    content: [
      { type: "text", text: "hello", annotations: { priority: 1 } },
      { type: "image", mimeType: "image/png", data: "aW1hZ2U=" },
      { type: "audio", mimeType: "audio/wav", data: "YXVkaW8=" },
      { type: "resource", resource: { uri: "file:///notes.txt", mimeType: "text/plain", text: "notes" } },
      { type: "resource", resource: { uri: "file:///blob.bin", mimeType: "application/octet-stream", blob: "AAEC" } },
      { type: "resource_link", uri: "file:///linked.txt", name: "linked", mimeType: "text/plain" },
    ],
  },
  "json-text": { content: [{ type: "text", text: '{"a":1}' }] },
  structured: { content: [{ type: "text", text: '{"temperature":21}' }], structuredContent: { temperature: 21 } },
  empty: { content: [] },
  fails: { isError: true, content: [{ type: "text", text: "upstream\u001b[31m broke" }, { type: "text", text: "second line" }] },
};

/**
 * A stateless SDK server over node:http. `/mcp` wants `Authorization: Bearer TEST_TOKEN`
 * (401 otherwise) and lists PAGE_ONE then PAGE_TWO; `/loop` pages forever with the same
 * cursor; `/forbidden` answers 403; `/not-mcp` 404 to everything; `/html` a 200 web page.
 */
export async function startTestServer(): Promise<RunningServer> {
  let connections = 0;
  const http: HttpServer = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://test").pathname;
    if (path === "/not-mcp") return void response.writeHead(404).end("Not Found");
    if (path === "/forbidden") return void response.writeHead(403).end("Forbidden");
    if (path === "/html") return void response.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>");
    if (path !== "/mcp" && path !== "/loop") return void response.writeHead(404).end();
    if (path === "/mcp" && request.headers.authorization !== `Bearer ${TEST_TOKEN}`) {
      return void response.writeHead(401, { "www-authenticate": "Bearer" }).end("Unauthorized");
    }
    // Stateless: no stream to GET and no session to DELETE.
    if (request.method !== "POST") return void response.writeHead(405).end();
    void handle(request, response, path);
  });
  http.on("connection", () => connections++);
  await new Promise<void>((ready) => http.listen(0, "127.0.0.1", ready));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}

async function handle(request: IncomingMessage, response: Parameters<StreamableHTTPServerTransport["handleRequest"]>[1], path: string): Promise<void> {
  const server = new Server({ name: "test\u0000server", version: "1.2.3" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async (list) => {
    if (path === "/loop") return { tools: [{ name: "again", inputSchema: { type: "object" } }], nextCursor: "again" };
    return list.params?.cursor === "page-2" ? { tools: PAGE_TWO } : { tools: PAGE_ONE, nextCursor: "page-2" };
  });
  server.setRequestHandler(CallToolRequestSchema, async (call) => {
    if (call.params.name === "rejects") throw new McpError(ErrorCode.InvalidParams, "city is required");
    if (call.params.name === "get-weather") {
      return { content: [{ type: "text", text: `sunny in ${String(call.params.arguments?.city)}` }], structuredContent: { temperature: 30 } };
    }
    const result = RESULTS[call.params.name];
    if (!result) throw new McpError(ErrorCode.InvalidParams, `Tool ${call.params.name} not found`);
    return result;
  });
  // JSON answers here; server-everything answers with SSE streams, so both shapes are covered.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  response.on("close", () => void transport.close());
  await server.connect(transport);
  await transport.handleRequest(request, response);
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((ready) => probe.listen(0, "127.0.0.1", ready));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** A stateful MCP server: it counts sessions opened and calls, and can forget every session. */
export interface SessionServer extends RunningServer {
  /** `initialize` requests answered so far (one per session). */
  initializations(): number;
  /** `tools/call` requests answered so far. */
  calls(): number;
  /** GET streams opened (a client that reuses sessions in a Worker opens none). */
  getStreams(): number;
  /** Forgets every session, as a restarted server would: their next request gets 404. */
  forgetSessions(): void;
}

/**
 * An SDK server in stateful mode (a session id per `initialize`, 404 for an unknown one) with
 * one tool, `echo`, and `fail` (an isError result).
 */
export async function startSessionServer(): Promise<SessionServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let initializations = 0;
  let calls = 0;
  let getStreams = 0;
  const http: HttpServer = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text === "" ? undefined : (JSON.parse(text) as { method?: string });
      const sessionId = request.headers["mcp-session-id"];
      if (request.method === "GET") getStreams += 1;
      let transport = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
      if (typeof sessionId === "string" && !transport) return void response.writeHead(404).end("Session not found");
      if (!transport) {
        if (body?.method !== "initialize") return void response.writeHead(400).end("No session");
        initializations += 1;
        const created = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => crypto.randomUUID(),
          enableJsonResponse: true,
          onsessioninitialized: (id) => void sessions.set(id, created),
        });
        const server = new Server({ name: "sessions", version: "1.0.0" }, { capabilities: { tools: {} } });
        server.setRequestHandler(ListToolsRequestSchema, async () => ({
          tools: [
            { name: "echo", inputSchema: { type: "object", properties: { text: { type: "string" } } }, annotations: { readOnlyHint: true } },
            { name: "fail", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } },
          ],
        }));
        server.setRequestHandler(CallToolRequestSchema, async (call) => {
          calls += 1;
          if (call.params.name === "fail") return { isError: true, content: [{ type: "text", text: "it failed" }] };
          return { content: [{ type: "text", text: `echo: ${String(call.params.arguments?.text)}` }] };
        });
        await server.connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, body);
    })();
  });
  await new Promise<void>((ready) => http.listen(0, "127.0.0.1", ready));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    connections: () => 0,
    initializations: () => initializations,
    calls: () => calls,
    getStreams: () => getStreams,
    forgetSessions: () => sessions.clear(),
    close: () =>
      new Promise<void>((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}
