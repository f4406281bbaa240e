/**
 * GraphQL and upstream MCP benchmarks against the built Worker in workerd (Miniflare):
 * - GitHub's GraphQL schema import (an introspection result served locally);
 * - the latency a call through an upstream MCP server (server-everything, streamable HTTP)
 *   adds over calling that server directly with the MCP SDK client.
 *
 *   npm run build && npx tsx scripts/bench/upstreams.ts
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { serveIntrospection } from "../../test/harness/graphql-api";
import { startWorker } from "../../test/harness/worker";
import { latency } from "./measure";

const root = resolve(import.meta.dirname, "../..");
const worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
const base = await worker.mf.ready;
const headers = { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com"), "content-type": "application/json" };
const post = (path: string, body: unknown) => fetch(new URL(path, base), { method: "POST", headers, body: JSON.stringify(body) });
const rows: [string, string][] = [];

// --- GitHub GraphQL import ---
const github = await serveIntrospection(readFileSync(resolve(root, "node_modules/@octokit/graphql-schema/schema.json"), "utf8"));
const started = performance.now();
const imported = (await (await post("/api/integrations", { kind: "graphql", url: github.url, slug: "github_graphql" })).json()) as { toolCount: number };
rows.push(["GitHub GraphQL import (introspection result, local)", `${((performance.now() - started) / 1000).toFixed(2)} s, ${imported.toolCount} tools`]);
await github.close();

// --- upstream MCP overhead ---
const port = await new Promise<number>((done) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as { port: number };
    probe.close(() => done(free));
  });
});
const everything = spawn(process.execPath, [resolve(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "streamableHttp"], {
  env: { ...process.env, PORT: String(port) },
  stdio: ["ignore", "ignore", "pipe"],
});
await new Promise<void>((ready) => everything.stderr!.on("data", (chunk: Buffer) => /listening/i.test(chunk.toString()) && ready()));
const url = `http://127.0.0.1:${port}/mcp`;
await post("/api/integrations", { kind: "mcp", url, slug: "everything" });
await post("/api/policies", { pattern: "everything.*", action: "allow" });

const direct = await latency(100, 10, async () => {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  await client.callTool({ name: "echo", arguments: { message: "hi" } });
  await client.close();
});
// The Worker keeps one session per isolate, server and credentials: the fair direct figure is a
// connected client's call.
const connected = new Client({ name: "bench", version: "1" });
await connected.connect(new StreamableHTTPClientTransport(new URL(url)));
const directCall = await latency(200, 20, async () => {
  await connected.callTool({ name: "echo", arguments: { message: "hi" } });
});
await connected.close();
const execute = async (code: string) => {
  const response = await post("/api/executions", { code });
  const body = (await response.json()) as { status: string };
  if (body.status !== "completed") throw new Error(JSON.stringify(body));
};
const through = await latency(200, 20, () => execute(`return await tools.everything.echo({ message: "hi" })`));
const empty = await latency(200, 20, () => execute("return 1"));
const overhead = through.medianMs - empty.medianMs - directCall.medianMs;
rows.push(["MCP echo, SDK client directly (connect + call + close)", `median ${direct.medianMs} ms, p95 ${direct.p95Ms} ms`]);
rows.push(["MCP echo, a connected SDK client's call", `median ${directCall.medianMs} ms, p95 ${directCall.p95Ms} ms`]);
rows.push(["The same call through execute (HTTP; the Worker's session reused)", `median ${through.medianMs} ms, p95 ${through.p95Ms} ms`]);
rows.push(["execute `return 1`, same run", `median ${empty.medianMs} ms, p95 ${empty.p95Ms} ms`]);
rows.push(["overhead: through execute − (`return 1` + connected call)", `${overhead.toFixed(2)} ms (target ≤ 5 ms)`]);

console.log("\n| measurement | result |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
everything.kill();
await worker.close();
