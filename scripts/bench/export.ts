/**
 * The audit export at scale, against the built Worker in workerd (Miniflare, real D1):
 * N executions (default 100,000; every tenth with two calls, one of them decided) are
 * inserted straight into D1, then `GET /api/executions/export` is read to the end.
 *
 *   npm run build && npx tsx scripts/bench/export.ts
 *   BENCH_EXPORT_EXECUTIONS=20000 npx tsx scripts/bench/export.ts
 *
 * Prints the time to the first line and to the last, lines and bytes per second, and the
 * workerd process's resident memory sampled while the export streams, for several exports in a
 * row: the first also pulls the local database's pages into workerd (local D1 is SQLite in
 * the same process); the later ones show what the export itself holds (one page of 100
 * executions at a time, however many there are).
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { get, type IncomingMessage } from "node:http";
import { startWorker } from "../../test/harness/worker";

const COUNT = Number(process.env.BENCH_EXPORT_EXECUTIONS ?? 100_000);
const PASSES = Number(process.env.BENCH_EXPORT_PASSES ?? 1);
const BATCH = 500;
const BASE = Date.parse("2026-01-01T00:00:00Z");

const worker = await startWorker({ directNetwork: true });
const base = await worker.mf.ready;
const headers = { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com") };

const insertStarted = performance.now();
const execution = worker.db.prepare(
  "INSERT INTO executions (id, identity_id, identity_label, code, status, result, logs, seed, start_time, origin, version, created_at, updated_at, finished_at, duration_ms) VALUES (?, 'user:agent@example.com', 'agent@example.com', 'const item = await tools.items.create({ name: \"x\" }); return item.id', 'completed', '{\"id\":1}', '[\"created\"]', 1, ?, 'https://executor.test', 2, ?, ?, ?, 42)",
);
const call = worker.db.prepare(
  "INSERT INTO execution_calls (execution_id, seq, kind, address, args, policy, status, reply, decision, decided_by, decided_at, started_at, finished_at) VALUES (?, ?, 'tool', 'items.create', '{\"name\":\"x\"}', 'approve', 'ok', '{\"ok\":true,\"value\":{\"id\":1}}', ?, ?, ?, ?, ?)",
);
for (let start = 0; start < COUNT; start += BATCH) {
  const statements = [];
  for (let i = start; i < Math.min(COUNT, start + BATCH); i += 1) {
    const at = BASE + i * 10;
    const id = `ex_bench_${String(i).padStart(7, "0")}`;
    statements.push(execution.bind(id, at, at, at, at));
    if (i % 10 === 0) statements.push(call.bind(id, 0, "approved", "approver@example.com", at, at, at), call.bind(id, 1, null, null, null, at, at));
  }
  await worker.db.batch(statements);
}
const insertSeconds = (performance.now() - insertStarted) / 1000;

// This process's own workerd (other Workers may run on the machine).
const workerdPid = execSync(`pgrep -n -P ${process.pid} workerd`).toString().trim();
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${workerdPid}/status`, "utf8"))![1]) / 1024);

/**
 * Reads one whole export over a connection of its own (workerd closes a connection after a
 * streamed answer, which a pooled client may try to reuse); samples workerd's RSS meanwhile.
 */
async function exportAll() {
  const rssBefore = rss();
  let rssMax = rssBefore;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rss())), 100);
  const started = performance.now();
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(new URL("/api/executions/export", base), { headers, agent: false }, resolve).on("error", reject),
  );
  if (response.statusCode !== 200) throw new Error(`export answered ${response.statusCode}`);
  let firstLineMs = 0;
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (bytes === 0) firstLineMs = performance.now() - started;
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (lines !== COUNT) throw new Error(`expected ${COUNT} lines, read ${lines}`);
  return { firstLineMs, bytes, lines, seconds, rssBefore, rssMax };
}

// BENCH_EXPORT_PASSES times (default 1): the first read also brings the local database's pages into workerd's memory
// (local D1 is SQLite inside workerd); the later ones show what the export itself adds.
const passes = [];
for (let pass = 0; pass < PASSES; pass += 1) passes.push(await exportAll());
const { firstLineMs, bytes, lines, seconds } = passes[0]!;

const rows: [string, string][] = [
  [`executions exported (${COUNT / 10} of them with 2 calls)`, `${lines.toLocaleString("en")} lines, ${(bytes / 1024 / 1024).toFixed(1)} MiB`],
  ["time to the first line", `${Math.round(firstLineMs)} ms`],
  ["time to the last line", `${seconds.toFixed(1)} s (${Math.round(lines / seconds).toLocaleString("en")} executions/s, ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MiB/s)`],
  ...passes.map((pass, i): [string, string] => [
    `workerd process RSS, export ${i + 1} of the same range${i === 0 ? " (also reads the local database into memory)" : ""}`,
    `${pass.rssBefore} MiB before, at most ${pass.rssMax} MiB during${i > 0 ? ` (${pass.seconds.toFixed(1)} s)` : ""}`,
  ]),
  ["(setup) inserting them into local D1", `${insertSeconds.toFixed(1)} s`],
];
console.log("\n| measurement | result |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
await worker.close();
