/**
 * Upstream MCP integrations end to end: the reference `server-everything` from npm, run by
 * the test in its streamable HTTP mode and in its older SSE-only mode, on 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";
import { startSessionServer, type SessionServer } from "../sources/mcp/servers";

const EVERYTHING = resolve(import.meta.dirname, "../../node_modules/@modelcontextprotocol/server-everything/dist/index.js");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function startEverything(mode: "streamableHttp" | "sse"): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`server-everything ${mode} did not start`)), 20_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      if (/listening|running/i.test(chunk.toString())) {
        clearTimeout(timer);
        ready();
      }
    });
  });
  return { port, child };
}

describe("upstream MCP servers", () => {
  let streamable: { port: number; child: ChildProcess };
  let sse: { port: number; child: ChildProcess };
  let worker: TestWorker;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);

  beforeAll(async () => {
    [streamable, sse] = await Promise.all([startEverything("streamableHttp"), startEverything("sse")]);
    // workerd fetches the servers directly: an SSE stream must not be buffered by the harness.
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    streamable?.child.kill();
    sse?.child.kill();
  });

  it("adds a streamable HTTP server: its tools appear with valid names and policies", async () => {
    const response = await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "mcp", url: `http://127.0.0.1:${streamable.port}/mcp`, slug: "everything" }) });
    expect(response.status, await response.clone().text()).toBe(201);
    const { toolCount } = (await response.json()) as { toolCount: number };
    expect(toolCount).toBeGreaterThan(3);
    const tools = (await (await admin("/api/tools?integration=everything&limit=100")).json()) as { items: { address: string; defaultPolicy: string }[] };
    expect(tools.items).toHaveLength(toolCount);
    for (const tool of tools.items) expect(tool.address).toMatch(/^everything\.[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it("calls round-trip through execute: text, and a tool returning an image", async () => {
    await admin("/api/policies", { method: "POST", body: JSON.stringify({ pattern: "everything.*", action: "allow" }) });
    const result = await execute(
      worker,
      `const found = await tools.search("echo", { integration: "everything" });
       const echo = await tools.everything.echo({ message: "hello upstream" });
       const images = await tools.search("image", { integration: "everything" });
       const imageTool = images.items.find(i => /tiny/i.test(i.address)) ?? images.items[0];
       const parts = imageTool.address.split(".");
       const image = await tools[parts[0]][parts[1]]({});
       return { first: found.items[0].address, echo, image }`,
    );
    expect(result.error).toBeUndefined();
    const value = result.result as { first: string; echo: unknown; image: unknown };
    expect(value.first).toBe("everything.echo");
    expect(JSON.stringify(value.echo)).toContain("hello upstream");
    expect(JSON.stringify(value.image)).toMatch(/"type":"image".*"mimeType":"image\/png"/);
  });

  it("an SSE-only server works too", async () => {
    const response = await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "mcp", url: `http://127.0.0.1:${sse.port}/sse`, slug: "legacy" }) });
    expect(response.status, await response.clone().text()).toBe(201);
    await admin("/api/policies", { method: "POST", body: JSON.stringify({ pattern: "legacy.*", action: "allow" }) });
    const result = await execute(worker, `return await tools.legacy.echo({ message: "over sse" })`);
    expect(JSON.stringify(result.result)).toContain("over sse");
  });

  it('response: "full" on an MCP tool: the same data, no HTTP status or headers of its own', async () => {
    const result = await execute(worker, `return [await tools.legacy.echo({ message: "m" }), await tools.legacy.echo({ message: "m" }, { response: "full" })]`);
    const [plain, full] = result.result as [unknown, unknown];
    expect(full).toEqual({ data: plain, status: null, headers: {} });
  });

  it("refresh re-lists and diffs", async () => {
    const response = await admin("/api/integrations/everything/refresh", { method: "POST" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ added: [], removed: [], changed: [] });
  });

  it("a stdio server is refused with a clear 400", async () => {
    const body = await expectError(await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "mcp", url: "npx -y @modelcontextprotocol/server-everything" }) }), 400, "invalid_source");
    expect(body.error.message).toMatch(/stdio/i);
  });
});

describe("upstream MCP sessions are reused across executions (per isolate and credentials)", () => {
  let server: SessionServer;
  let worker: TestWorker;
  beforeAll(async () => {
    server = await startSessionServer();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    const added = await worker.asUser("admin@example.com", "/api/integrations", {
      method: "POST",
      body: JSON.stringify({ kind: "mcp", url: `${server.origin}/mcp`, slug: "sessions", auth: { type: "bearer", token: "session-token-0123" } }),
    });
    expect(added.status, await added.text()).toBe(201);
  });
  afterAll(async () => {
    await worker.close();
    await server.close();
  });

  it("calls in separate requests share one upstream session, with no GET stream; a forgotten one is replaced", async () => {
    const before = server.initializations();
    const streamsBefore = server.getStreams();
    for (const text of ["one", "two", "three"]) {
      const view = await execute(worker, `return await tools.sessions.echo({ text: "${text}" })`);
      expect(view, JSON.stringify(view) + worker.logs.slice(-5).join("\n")).toMatchObject({ status: "completed", result: `echo: ${text}` });
    }
    expect(server.initializations() - before).toBe(1);
    expect(server.getStreams() - streamsBefore).toBe(0);

    server.forgetSessions();
    expect(await execute(worker, `return await tools.sessions.echo({ text: "after" })`)).toMatchObject({ status: "completed", result: "echo: after" });
    expect(server.initializations() - before).toBe(2);
  });
});
