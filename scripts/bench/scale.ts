/**
 * Throughput, overhead parts, catalog size and memory, against the built Worker in workerd
 * (Miniflare, real D1, Access assertions checked on every request).
 *
 *   npm run build && npx tsx scripts/bench/scale.ts
 *
 * - executions/s of `return 1` at 1, 8 and 32 concurrent clients;
 * - where the time of a request goes, by difference between routes that add one part each;
 * - search and call latency with 100, 1,000 and 5,000 tools in the catalog;
 * - workerd process memory for a typical execution and for the largest one the limits allow.
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startWorker } from "../../test/harness/worker";
import { latency, round, throughput } from "./measure";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const rows: [string, string][] = [];

// A local upstream that answers any call with a small JSON body.
const upstream = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
});
await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

const worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
const base = await worker.mf.ready;
const headers = { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com"), "content-type": "application/json" };
const post = (path: string, body: unknown) => fetch(new URL(path, base), { method: "POST", headers, body: JSON.stringify(body) });
const run = async (code: string) => {
  const body = (await (await post("/api/executions", { code })).json()) as { status: string; error?: unknown };
  if (body.status !== "completed") throw new Error(JSON.stringify(body));
};
const get = (path: string, withAuth = true) => async () => {
  const response = await fetch(new URL(path, base), { headers: withAuth ? headers : {} });
  await response.arrayBuffer();
};

// --- throughput ---
for (const clients of [1, 8, 32]) {
  const load = await throughput(clients, SECONDS, () => run("return 1"));
  rows.push([`\`return 1\`, ${clients} concurrent client${clients > 1 ? "s" : ""}`, `${Math.round(load.perSecond)} executions/s (median ${load.stats.medianMs} ms, p95 ${load.stats.p95Ms} ms)`]);
}

// --- parts, by difference ---
const floor = await latency(300, 30, get("/.well-known/nothing", false));
const gated = await latency(300, 30, get("/api/nothing"));
const oneRead = await latency(300, 30, get("/api/policies"));
const sandbox = await latency(300, 30, () => run("return 1"));
const searchRun = await latency(300, 30, () => run("return (await tools.search('policies')).total"));
rows.push(["HTTP round trip, no auth (JSON 404)", `median ${floor.medianMs} ms`]);
rows.push(["+ Access check and router (authenticated 404)", `median ${gated.medianMs} ms (+${round(gated.medianMs - floor.medianMs)} ms)`]);
rows.push(["+ one D1 read (GET /api/policies)", `median ${oneRead.medianMs} ms (+${round(oneRead.medianMs - gated.medianMs)} ms)`]);
rows.push(["execute `return 1`: sandbox start, run, dispose, record", `median ${sandbox.medianMs} ms (+${round(sandbox.medianMs - gated.medianMs)} ms over the authenticated 404)`]);
rows.push(["execute with one `tools.search`: revision + policy read, ranking", `median ${searchRun.medianMs} ms (+${round(searchRun.medianMs - sandbox.medianMs)} ms)`]);

// --- catalog size ---
function syntheticSpec(operations: number): Record<string, unknown> {
  const words = ["account", "invoice", "order", "shipment", "customer", "product", "report", "ticket", "payment", "refund"];
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations; i += 1) {
    const noun = words[i % words.length]!;
    paths[`/${noun}s/${i}`] = {
      get: {
        tags: [noun],
        operationId: `get${noun[0]!.toUpperCase()}${noun.slice(1)}${i}`,
        summary: `Get ${noun} number ${i} with its details`,
        parameters: [{ name: "verbose", in: "query", schema: { type: "boolean" } }],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { ok: { type: "boolean" } } } } } } },
      },
    };
  }
  return { openapi: "3.0.3", info: { title: `Synthetic ${operations}`, version: "1" }, servers: [{ url: upstreamUrl }], paths };
}
let total = 0;
for (const size of [100, 1000, 5000]) {
  const add = size - total;
  const added = await post("/api/integrations", { kind: "openapi", slug: `synthetic_${size}`, spec: syntheticSpec(add) });
  if (added.status !== 201) throw new Error(await added.text());
  total = size;
  const last = add - 1;
  const noun = ["account", "invoice", "order", "shipment", "customer", "product", "report", "ticket", "payment", "refund"][last % 10]!;
  const address = `synthetic_${size}.${noun}.get${noun[0]!.toUpperCase()}${noun.slice(1)}${last}`;
  const searched = await latency(100, 10, () => run(`return (await tools.search("get ${noun} number ${last}")).total`));
  const called = await latency(100, 10, () => run(`return await tools.${address}({})`));
  rows.push([`${size + 6} tools in the catalog: execute with one search`, `median ${searched.medianMs} ms, p95 ${searched.p95Ms} ms`]);
  rows.push([`${size + 6} tools in the catalog: execute with one call`, `median ${called.medianMs} ms, p95 ${called.p95Ms} ms`]);
}

// --- memory ---
const workerdPid = execSync("pgrep -n workerd").toString().trim();
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${workerdPid}/status`, "utf8"))![1]) / 1024);
const peak = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${workerdPid}/status`, "utf8"))![1]) / 1024);
const beforeTypical = rss();
await run("const rows = []; for (let i = 0; i < 2000; i++) rows.push({ i, name: 'row ' + i }); return rows.length");
const afterTypical = rss();
// The largest program the default limits allow: fill most of the 32 MiB sandbox.
await post("/api/executions", { code: "const chunks = []; try { for (;;) chunks.push('x'.repeat(1 << 20) + chunks.length) } catch (e) {} return chunks.length" });
rows.push(["workerd process RSS, typical execution (2,000 small objects)", `${beforeTypical} MiB → ${afterTypical} MiB`]);
rows.push(["workerd process RSS after a program filling its 32 MiB limit (peak)", `${rss()} MiB (peak ${peak()} MiB)`]);

console.log("\n| measurement | result |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
await worker.close();
upstream.close();
