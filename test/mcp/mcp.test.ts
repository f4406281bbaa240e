/**
 * /mcp through the MCP SDK's own Client over real HTTP (Miniflare's listening socket),
 * authenticated by an Access assertion header as Access would forward it.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectUnauthorized, sendRefusedBody } from "../harness/assertions";
import { decide } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

interface View {
  executionId: string;
  status: string;
  result?: unknown;
  logs: string[];
  error?: { code: string };
  approval?: { callId: number; tool: string; url: string };
}

async function connect(worker: TestWorker, token: string): Promise<Client> {
  const base = await worker.mf.ready;
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", base), {
    requestInit: { headers: { "cf-access-jwt-assertion": token } },
  });
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

async function run(client: Client, name: "execute" | "resume", args: Record<string, unknown>): Promise<{ view: View; text: string; isError: boolean }> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return { view: result.structuredContent as unknown as View, text, isError: result.isError === true };
}

describe("MCP", () => {
  let worker: TestWorker;
  let client: Client;
  beforeAll(async () => {
    worker = await startWorker();
    client = await connect(worker, await worker.issuer.user("admin@example.com"));
  });
  afterAll(async () => {
    await client.close();
    await worker.close();
  });

  it("lists exactly execute and resume; execute's description teaches the API and names the integrations", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["execute", "resume"]);
    const execute = tools[0]!;
    expect(execute.description).toContain("tools.search");
    expect(execute.description).toContain("tools.describe");
    expect(execute.description).toContain("executor (6 tools)");
    expect(execute.inputSchema).toMatchObject({ required: ["code"] });
  });

  it("execute runs code: text and structuredContent carry the same result", async () => {
    const { view, text, isError } = await run(client, "execute", { code: "console.log('hello'); return 6*7" });
    expect(isError).toBe(false);
    expect(view).toMatchObject({ status: "completed", result: 42, logs: ["hello"] });
    expect(JSON.parse(text)).toEqual(view);
  });

  it("a failing program is an error result with the code", async () => {
    const { view, isError } = await run(client, "execute", { code: "return (" });
    expect(isError).toBe(true);
    expect(view.error?.code).toBe("syntax_error");
  });

  it("pause over MCP, approve in the console, resume over MCP", async () => {
    const paused = await run(client, "execute", { code: `return await tools.executor.policies.create({ pattern: "mcp.*", action: "approve" })` });
    expect(paused.view.status).toBe("paused");
    expect(paused.text).toContain(paused.view.approval!.url);
    expect(paused.text).toContain("resume");

    const undecided = await run(client, "resume", { executionId: paused.view.executionId, waitSeconds: 0 });
    expect(undecided.view.status).toBe("paused");

    expect((await decide(worker, paused.view.executionId, paused.view.approval!.callId, "approve")).status).toBe(200);
    const done = await run(client, "resume", { executionId: paused.view.executionId });
    expect(done.view).toMatchObject({ status: "completed", result: { pattern: "mcp.*", action: "approve" } });
  });

  it("no MCP tool can approve: an agent only has execute and resume, and its program cannot reach the decision API", async () => {
    const { view } = await run(client, "execute", { code: "return typeof fetch + ' ' + Object.keys(tools).join(',')" });
    expect(view.result).toBe("undefined search,describe");
  });

  it("resume of someone else's execution is not found", async () => {
    const paused = await run(client, "execute", { code: `return await tools.executor.policies.create({ pattern: "o.*", action: "approve" })` });
    const other = await connect(worker, await worker.issuer.user("bob@example.com"));
    try {
      const result = await other.callTool({ name: "resume", arguments: { executionId: paused.view.executionId, waitSeconds: 0 } });
      expect(result.isError).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toContain("not_found");
    } finally {
      await other.close();
    }
  });

  it("a service token's agent works the same way", async () => {
    const service = await connect(worker, await worker.issuer.service("ci-bot.access"));
    try {
      const { view } = await run(service, "execute", { code: "return (await tools.search('integrations')).items[0].address" });
      expect(view).toMatchObject({ status: "completed", result: "executor.integrations.list" });
    } finally {
      await service.close();
    }
  });

  it("GET and DELETE /mcp → 405 JSON; no session id is ever issued", async () => {
    const token = await worker.issuer.user("admin@example.com");
    await expectError(await worker.fetch("/mcp", { headers: { "cf-access-jwt-assertion": token, accept: "text/event-stream" } }), 405, "method_not_allowed");
    await expectError(await worker.fetch("/mcp", { method: "DELETE", headers: { "cf-access-jwt-assertion": token } }), 405, "method_not_allowed");
    const init = await worker.fetch("/mcp", {
      method: "POST",
      headers: { "cf-access-jwt-assertion": token, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
    });
    expect(init.status).toBe(200);
    expect(init.headers.get("content-type")).toMatch(/application\/json/);
    expect(init.headers.get("mcp-session-id")).toBeNull();
  });

  it("a body over 1 MB is refused with 413; a body that is not JSON gets a JSON-RPC parse error", async () => {
    const token = await worker.issuer.user("admin@example.com");
    const headers = { "cf-access-jwt-assertion": token, "content-type": "application/json", accept: "application/json, text/event-stream" };
    const huge = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "execute", arguments: { code: `return "${"x".repeat(1100 * 1024)}"` } } });
    await expectError(await sendRefusedBody(() => worker.fetch("/mcp", { method: "POST", headers, body: huge })), 413, "payload_too_large");
    const garbage = await worker.fetch("/mcp", { method: "POST", headers, body: "{not json" });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { code: number } }).error.code).toBe(-32700);
  });

  it("a foreign Origin is refused (DNS rebinding); no assertion → 401 JSON", async () => {
    const token = await worker.issuer.user("admin@example.com");
    await expectError(await worker.fetch("/mcp", { method: "POST", headers: { "cf-access-jwt-assertion": token, origin: "http://attacker.example" }, body: "{}" }), 403, "forbidden");
    await expectUnauthorized(await worker.fetch("/mcp", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
  });
});
