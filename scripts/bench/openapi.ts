/**
 * OpenAPI benchmarks against the built Worker in workerd (Miniflare, real D1):
 * - GitHub's REST spec import: time of the one POST, and the workerd process's peak memory;
 * - the context an agent sees with GitHub imported (MCP tools/list), next to what a plain
 *   MCP proxy exposing every operation as a tool would send;
 * - the latency a tool call adds over calling a local API directly.
 *
 *   npm run build && npx tsx scripts/bench/openapi.ts
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startItemsApi } from "../../test/harness/items-api";
import { startWorker } from "../../test/harness/worker";
import { latency } from "./measure";

const SPEC = resolve(import.meta.dirname, "../../node_modules/@octokit/openapi/generated/api.github.com.json");
const CHARS_PER_TOKEN = 4;

const api = await startItemsApi();
const worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
const base = await worker.mf.ready;
const token = await worker.issuer.user("admin@example.com");
const headers = { "cf-access-jwt-assertion": token, "content-type": "application/json" };
const rows: [string, string][] = [];

// --- import ---
const workerdPid = execSync("pgrep -n workerd").toString().trim();
const rssKiB = (field: "VmRSS" | "VmHWM") => Number(/(\d+) kB/.exec(readFileSync(`/proc/${workerdPid}/status`, "utf8").split("\n").find((line) => line.startsWith(field))!)![1]);
const rssBefore = rssKiB("VmRSS");
const specText = readFileSync(SPEC, "utf8");
const started = performance.now();
const imported = await fetch(new URL("/api/integrations", base), { method: "POST", headers, body: JSON.stringify({ kind: "openapi", slug: "github", spec: specText }) });
const importMs = performance.now() - started;
const importBody = (await imported.json()) as { toolCount: number };
rows.push(["GitHub REST import (13 MB spec, one POST)", `${(importMs / 1000).toFixed(2)} s, ${importBody.toolCount} tools`]);
rows.push(["workerd process memory (RSS before → peak)", `${Math.round(rssBefore / 1024)} MiB → ${Math.round(rssKiB("VmHWM") / 1024)} MiB`]);

// --- context ---
const rpc = async (method: string, params: unknown) => {
  const response = await fetch(new URL("/mcp", base), {
    method: "POST",
    headers: { ...headers, accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return response.text();
};
const toolsList = await rpc("tools/list", {});
const proxyTools = await worker.db.prepare("SELECT address, description, input_schema FROM tools WHERE integration = 'github'").all<{ address: string; description: string; input_schema: string }>();
const proxyList = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  result: { tools: proxyTools.results.map((tool) => ({ name: tool.address.replaceAll(".", "_"), description: tool.description, inputSchema: JSON.parse(tool.input_schema) })) },
});
rows.push(["Agent-visible context, ours (tools/list)", `${toolsList.length} bytes ≈ ${Math.round(toolsList.length / CHARS_PER_TOKEN)} tokens`]);
rows.push(["Plain MCP proxy, every GitHub operation a tool", `${proxyList.length} bytes ≈ ${Math.round(proxyList.length / CHARS_PER_TOKEN)} tokens`]);

// --- tool call overhead ---
await fetch(new URL("/api/policies", base), { method: "POST", headers, body: JSON.stringify({ pattern: "items_api.*", action: "allow" }) });
await fetch(new URL("/api/integrations", base), { method: "POST", headers, body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) });
await fetch(new URL("/api/integrations/items_api/connections", base), { method: "POST", headers, body: JSON.stringify({ name: "work", shared: true, auth: { type: "bearer", token: "bearer-token-0123456789" } }) });
const direct = await latency(200, 20, async () => {
  const response = await fetch(`${api.origin}/v1/items/1`, { headers: { authorization: "Bearer bearer-token-0123456789" } });
  await response.text();
});
const viaExecute = await latency(200, 20, async () => {
  const response = await fetch(new URL("/api/executions", base), { method: "POST", headers, body: JSON.stringify({ code: "return await tools.items_api.items.getItem({ id: 1 })" }) });
  const body = (await response.json()) as { status: string };
  if (body.status !== "completed") throw new Error(JSON.stringify(body));
});
const empty = await latency(200, 20, async () => {
  const response = await fetch(new URL("/api/executions", base), { method: "POST", headers, body: JSON.stringify({ code: "return 1" }) });
  await response.text();
});
rows.push(["Local API called directly", `median ${direct.medianMs} ms, p95 ${direct.p95Ms} ms`]);
rows.push(["The same call through execute (HTTP)", `median ${viaExecute.medianMs} ms, p95 ${viaExecute.p95Ms} ms`]);
rows.push(["execute `return 1` in the same run", `median ${empty.medianMs} ms, p95 ${empty.p95Ms} ms`]);
rows.push(["overhead: through execute − (`return 1` + direct call)", `${(viaExecute.medianMs - empty.medianMs - direct.medianMs).toFixed(2)} ms (target ≤ 3 ms)`]);

console.log("\n| measurement | result |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
await worker.close();
await api.close();
