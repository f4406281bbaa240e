/**
 * The Worker as `wrangler dev` runs it (its own local D1, the real migrations), with Access
 * assertions checked against keys served on 127.0.0.1, measured two ways:
 *
 * - latency and throughput of `execute` of `return 1` relative to an authenticated request that
 *   does nothing (a 404 under /api), in the same run: the dev proxy and the client cost the
 *   same for both, so the difference is the Worker's own;
 * - the isolate's memory through wrangler's inspector: V8's heap (`Runtime.getHeapUsage`) and
 *   the QuickJS wasm memory (`buffer.byteLength`), at rest, with the search index built, while
 *   GitHub's REST spec is imported, with a sandbox program at its memory limit, and both at once.
 *
 *   npx tsx scripts/bench/dev.ts            (BENCH_SECONDS, BENCH_N, BENCH_WARMUP to change the load)
 *
 * Heap samples are taken every few milliseconds during the import; the inspector answers
 * between the isolate's tasks, so a peak inside one long synchronous step is read at its end.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { AccessIssuer, AUD } from "../../test/harness/access-issuer";
import { connectInspector, type Inspector } from "../../test/harness/inspector";
import { latency, throughput } from "./measure";
import { topSelfTime, topTotalTime, type ProfileItem } from "./profile-top";

const ROOT = resolve(import.meta.dirname, "../..");
const SPEC = resolve(ROOT, "node_modules/@octokit/openapi/generated/api.github.com.json");
const N = Number(process.env.BENCH_N ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const MiB = 1024 * 1024;
const SECRET_KEY = "bench-secret-key-0123456789abcdefghijklmnop";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

// --- Access keys on 127.0.0.1 ---
const issuer = new AccessIssuer();
await issuer.addKey("bench-key");
const certs = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(issuer.jwks()));
});
await new Promise<void>((done) => certs.listen(0, "127.0.0.1", done));
issuer.issuerUrl = `http://127.0.0.1:${(certs.address() as AddressInfo).port}`;

// --- wrangler dev, its own state directory, the migrations applied ---
const state = mkdtempSync(join(tmpdir(), "executor-bench-"));
const envFile = join(state, "bench.env");
writeFileSync(envFile, `EXECUTOR_SECRET_KEY=${SECRET_KEY}\n`);
const vars = {
  ACCESS_TEAM_DOMAIN: issuer.issuerUrl,
  ACCESS_AUD: AUD,
  ADMIN_EMAILS: "admin@example.com",
  EXECUTOR_SECRET_KEY: SECRET_KEY,
  // The slow API below is on 127.0.0.1.
  ALLOW_LOCAL_NETWORK: "true",
};

// --- an API that answers after HOLD_MS: a program waiting on it holds its sandbox memory ---
const HOLD_MS = 8_000;
const slowApi = createServer((_request, response) => {
  setTimeout(() => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
  }, HOLD_MS);
});
await new Promise<void>((done) => slowApi.listen(0, "127.0.0.1", done));
const slowOrigin = `http://127.0.0.1:${(slowApi.address() as AddressInfo).port}`;
const SLOW_SPEC = {
  openapi: "3.0.3",
  info: { title: "Slow", version: "1" },
  servers: [{ url: slowOrigin }],
  paths: { "/wait": { get: { operationId: "wait", responses: { "200": { description: "after a while" } } } } },
};
execFileSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { cwd: ROOT, env, stdio: "ignore" });
const port = await freePort();
const inspectorPort = await freePort();
const dev = spawn(
  "npx",
  [
    "wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort),
    "--persist-to", state, "--env-file", envFile, "--show-interactive-dev-session=false", "--log-level", "warn",
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ],
  { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stop(dev);
    process.exit(130);
  });
}
const devOutput: string[] = [];
dev.stdout!.on("data", (chunk) => devOutput.push(String(chunk)));
dev.stderr!.on("data", (chunk) => devOutput.push(String(chunk)));

const base = `http://127.0.0.1:${port}`;
const token = await issuer.mint({ email: "admin@example.com", sub: "admin-sub" });
const headers = { "cf-access-jwt-assertion": token, "content-type": "application/json" };
const rows: [string, string][] = [];
const profileRows: { self: ProfileItem[]; total: ProfileItem[] } = { self: [], total: [] };
/** Progress on stderr, so a slow step is visible while the tables wait for the end. */
const step = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

try {
  await waitForWorker();
  step("wrangler dev is up; latency and throughput");

  // --- latency and throughput, relative ---
  const nothing = async () => {
    const response = await fetch(`${base}/api/nothing-here`, { headers });
    await response.text();
    if (response.status !== 404) throw new Error(`authenticated 404 answered ${response.status}`);
  };
  const returnOne = async () => {
    await execute("return 1");
  };
  const nothingLatency = await latency(N, WARMUP, nothing);
  const executeLatency = await latency(N, WARMUP, returnOne);
  const nothingLoad = await throughput(16, SECONDS, nothing);
  const executeLoad = await throughput(16, SECONDS, returnOne);
  rows.push(["authenticated 404 (`GET /api/nothing-here`), 1 client", `median ${nothingLatency.medianMs} ms, p95 ${nothingLatency.p95Ms} ms`]);
  rows.push(["`execute` of `return 1`, 1 client", `median ${executeLatency.medianMs} ms, p95 ${executeLatency.p95Ms} ms`]);
  rows.push(["`execute` adds to the median", `${(executeLatency.medianMs - nothingLatency.medianMs).toFixed(2)} ms (target ≤ 1.5 ms)`]);
  rows.push(["authenticated 404, 16 clients", `${Math.round(nothingLoad.perSecond)} requests/s (median ${nothingLoad.stats.medianMs} ms)`]);
  rows.push(["`execute` of `return 1`, 16 clients", `${Math.round(executeLoad.perSecond)} executions/s (median ${executeLoad.stats.medianMs} ms)`]);
  rows.push(["throughput ratio", `${(executeLoad.perSecond / nothingLoad.perSecond).toFixed(2)} (target ≥ 0.8)`]);

  // --- where the time goes: V8's CPU profile of the isolate under the 16-client load ---
  // One connection for everything: wrangler's proxy announces the execution context once.
  const inspector = await connectInspector(inspectorPort);
  const profile = await inspector.cpuProfile(async () => {
    await throughput(16, Math.min(SECONDS, 5), returnOne);
  });
  profileRows.self = topSelfTime(profile, 12);
  profileRows.total = topTotalTime(profile, 25);

  // --- memory ---
  step("memory at rest");
  const rest = await resting(inspector);
  rows.push(["JS heap at rest (after GC; built-in tools, one sandbox run)", `${mib(rest.heap)} MiB used, ${mib(rest.total)} MiB allocated`]);
  rows.push(["sandbox wasm memory after ordinary programs", `${mib(rest.wasm)} MiB`]);

  step("importing GitHub");
  const imported = await sampledPeak(inspector, () => importGitHub("github"));
  const afterImport = await resting(inspector);
  rows.push(["GitHub import (1,223 tools, the spec pasted as an object): JS heap peak sampled, above rest", `${mib(imported.peakHeap)} MiB (+${mib(imported.peakHeap - rest.heap)} MiB; target ≤ +48), ${imported.samples} samples, ${(imported.ms / 1000).toFixed(2)} s`]);
  const importedText = await sampledPeak(inspector, () => importGitHub("github_text", "text"));
  rows.push(["the same spec pasted as text", `${mib(importedText.peakHeap)} MiB (+${mib(importedText.peakHeap - rest.heap)} MiB), ${importedText.samples} samples, ${(importedText.ms / 1000).toFixed(2)} s`]);
  rows.push(["JS heap after the import (after GC)", `${mib(afterImport.heap)} MiB`]);
  const yamlText = yamlSlice();
  const importedYaml = await sampledPeak(inspector, () => importSpec("github_yaml", yamlText));
  rows.push([
    `a ${(yamlText.length / 1e6).toFixed(1)} MB YAML spec pasted as text (424 of GitHub's paths: the size of Graph's Files and Teams slices): JS heap peak sampled, above rest`,
    `${mib(importedYaml.peakHeap)} MiB (+${mib(importedYaml.peakHeap - rest.heap)} MiB), ${importedYaml.samples} samples, ${(importedYaml.ms / 1000).toFixed(2)} s`,
  ]);

  // Two GitHubs now (and the built-in tools): the index covers them all.
  const beforeIndex = await resting(inspector);
  await execute(`return (await tools.search("create an issue")).items.length`);
  const withIndex = await resting(inspector);
  const toolCount = await countTools();
  rows.push([
    `search index and catalog cache, ${toolCount} tools`,
    `+${mib(withIndex.heap - beforeIndex.heap)} MiB (${mib(((withIndex.heap - beforeIndex.heap) * 1000) / toolCount)} MiB per 1,000 tools)`,
  ]);

  step("filling the sandbox memory");
  const filled = await execute(`const kept = []; for (;;) kept.push("x".repeat(1 << 20) + kept.length);`, "failed");
  const afterFill = await resting(inspector);
  rows.push(["a program fills the sandbox memory", `error ${filled.error?.code}; once no program runs, wasm ${mib(afterFill.wasm)} MiB (the grown module is dropped)`]);

  // Worst mix: a program fills the sandbox memory and waits on a slow API (so it keeps it)
  // when GitHub is imported. The import waits for the program (sandbox/slots.ts), so the two
  // never meet; measured as it happens: the heap and the wasm memory during the import.
  step("importing GitHub while a program holds the sandbox memory");
  const added = await fetch(`${base}/api/integrations`, { method: "POST", headers, body: JSON.stringify({ kind: "openapi", slug: "slow", spec: SLOW_SPEC }) });
  if (added.status !== 201) throw new Error(`adding the slow API answered ${added.status}: ${await added.text()}`);
  const holder = execute(
    `const kept = []; try { for (;;) kept.push("y".repeat(1 << 20) + kept.length); } catch {} kept.pop(); kept.pop(); await tools.slow.wait({}); return kept.length`,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const held = (await inspector.wasmMemoryBytes()).reduce((sum, bytes) => sum + bytes, 0);
  const importStarted = performance.now();
  let holderEnded = 0;
  void holder.then(() => (holderEnded = performance.now()));
  const mix = await sampledPeak(inspector, () => importGitHub("github_again"));
  await holder;
  rows.push(["a program fills the sandbox memory and waits on an API", `wasm ${mib(held)} MiB while it waits`]);
  rows.push([
    "GitHub imported meanwhile: it waits for that program, then runs alone",
    `waited ${((holderEnded - importStarted) / 1000).toFixed(1)} s; heap peak ${mib(mix.peakHeap)} MiB + wasm ${mib(mix.wasmAtPeak)} MiB = ${mib(mix.peakHeap + mix.wasmAtPeak)} MiB (limit 128 MB = 122 MiB)`,
  ]);
  inspector.close();
} catch (error) {
  console.error(devOutput.join("").slice(-4000));
  throw error;
} finally {
  stop(dev);
  certs.close();
  slowApi.close();
  rmSync(state, { recursive: true, force: true });
}

console.log("\n| measurement (wrangler dev) | result |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
console.log("\n| isolate CPU profile, 16 clients of `return 1`: self time | share |\n|---|---|");
for (const item of profileRows.self) console.log(`| ${item.name} | ${item.share} % |`);
console.log("\n| the same profile: time inside a function, children included | share |\n|---|---|");
for (const item of profileRows.total) console.log(`| ${item.name} | ${item.share} % |`);

// ---

async function execute(code: string, expected: "completed" | "failed" | "any" = "completed"): Promise<{ status: string; error?: { code: string } }> {
  const response = await fetch(`${base}/api/executions`, { method: "POST", headers, body: JSON.stringify({ code }) });
  const body = (await response.json()) as { status: string; error?: { code: string } };
  if (expected !== "any" && body.status !== expected) throw new Error(`expected ${expected}, got ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** Imports GitHub's spec pasted as the console sends JSON (an object), or as text. */
async function importGitHub(slug: string, as: "object" | "text" = "object"): Promise<void> {
  const text = readFileSync(SPEC, "utf8");
  await importSpec(slug, as === "object" ? JSON.parse(text) : text);
}

/** GitHub's first 424 paths and as many component schemas, as YAML text. */
function yamlSlice(): string {
  const github = JSON.parse(readFileSync(SPEC, "utf8")) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  const first = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).slice(0, 424));
  return stringifyYaml({ ...github, paths: first(github.paths), components: { schemas: first(github.components.schemas) } });
}

async function importSpec(slug: string, spec: unknown): Promise<void> {
  const response = await fetch(`${base}/api/integrations`, { method: "POST", headers, body: JSON.stringify({ kind: "openapi", slug, spec }) });
  if (response.status !== 201) throw new Error(`import answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  await response.text();
}

async function countTools(): Promise<number> {
  const response = await fetch(`${base}/api/tools?limit=1`, { headers });
  return ((await response.json()) as { total: number }).total;
}

/** Heap and wasm after a full garbage collection. */
async function resting(inspector: Inspector): Promise<{ heap: number; total: number; wasm: number }> {
  await inspector.collectGarbage();
  await inspector.collectGarbage();
  const usage = await inspector.heapUsage();
  const wasm = (await inspector.wasmMemoryBytes()).reduce((sum, bytes) => sum + bytes, 0);
  return { heap: usage.usedSize, total: usage.totalSize, wasm };
}

/**
 * Runs `work` while sampling the heap; the largest sample and the wasm memory at that point.
 * `live`: each sample is taken right after a full collection (slower: the work takes longer),
 * so it counts only what is live; otherwise samples count garbage not yet collected too.
 */
async function sampledPeak(inspector: Inspector, work: () => Promise<void>, live = false): Promise<{ peakHeap: number; wasmAtPeak: number; samples: number; ms: number }> {
  let peakHeap = 0;
  let samples = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const usage = live ? await inspector.liveHeapUsage() : await inspector.heapUsage();
      samples += 1;
      peakHeap = Math.max(peakHeap, usage.usedSize);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  done = true;
  await sampler;
  const wasmAtPeak = (await inspector.wasmMemoryBytes()).reduce((sum, bytes) => sum + bytes, 0);
  return { peakHeap, wasmAtPeak, samples, ms };
}

async function waitForWorker(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error("wrangler dev exited");
    try {
      const response = await fetch(`${base}/api/me`, { headers });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("wrangler dev did not answer within 60 s");
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function stop(child: ChildProcess): void {
  try {
    // The whole group: wrangler, its workerd, and anything else it started.
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}
