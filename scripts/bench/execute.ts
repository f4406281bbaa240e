/**
 * `execute` latency and throughput against the built Worker running locally in workerd
 * (Miniflare, real D1, Access assertions verified on every request).
 *
 *   npm run build && npx tsx scripts/bench/execute.ts
 *
 * Prints median/p95 of `return 1` over HTTP and over MCP, of a program making 10 built-in
 * tool calls, and executions per second with 16 concurrent clients.
 */
import { startWorker } from "../../test/harness/worker";
import { latency, throughput } from "./measure";

const N = Number(process.env.BENCH_N ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// Enough requests for V8 to tier the QuickJS wasm up from its baseline compiler, as in a
// long-lived isolate.
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);

const worker = await startWorker({ directNetwork: true });
const base = await worker.mf.ready;
const token = await worker.issuer.user("admin@example.com");
const headers = { "cf-access-jwt-assertion": token, "content-type": "application/json" };

async function httpExecute(code: string): Promise<void> {
  const response = await fetch(new URL("/api/executions", base), { method: "POST", headers, body: JSON.stringify({ code }) });
  const body = (await response.json()) as { status: string };
  if (body.status !== "completed") throw new Error(`unexpected ${JSON.stringify(body)}`);
}

let rpcId = 0;
async function mcpExecute(code: string): Promise<void> {
  const response = await fetch(new URL("/mcp", base), {
    method: "POST",
    headers: { ...headers, accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/call", params: { name: "execute", arguments: { code } } }),
  });
  const body = (await response.json()) as { result?: { structuredContent?: { status: string } } };
  if (body.result?.structuredContent?.status !== "completed") throw new Error(`unexpected ${JSON.stringify(body)}`);
}

const TEN_CALLS = "let n = 0; for (let i = 0; i < 10; i++) n += (await tools.executor.integrations.list()).total; return n";

const rows: [string, string][] = [];
const httpReturn1 = await latency(N, WARMUP, () => httpExecute("return 1"));
rows.push(["HTTP execute `return 1`", `median ${httpReturn1.medianMs} ms, p95 ${httpReturn1.p95Ms} ms (n=${httpReturn1.n})`]);
const mcpReturn1 = await latency(N, WARMUP, () => mcpExecute("return 1"));
rows.push(["MCP execute `return 1`", `median ${mcpReturn1.medianMs} ms, p95 ${mcpReturn1.p95Ms} ms (n=${mcpReturn1.n})`]);
const tenCalls = await latency(Math.min(N, 200), 20, () => httpExecute(TEN_CALLS));
rows.push(["HTTP execute, 10 built-in tool calls", `median ${tenCalls.medianMs} ms, p95 ${tenCalls.p95Ms} ms (n=${tenCalls.n})`]);
const load = await throughput(16, SECONDS, () => httpExecute("return 1"));
rows.push(["16 concurrent clients, `return 1`", `${Math.round(load.perSecond)} executions/s (median ${load.stats.medianMs} ms, p95 ${load.stats.p95Ms} ms)`]);

console.log("\n| measurement | result |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
await worker.close();
