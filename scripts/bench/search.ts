/**
 * Tool search benchmarks, in Node (no Worker):
 * - quality on test/catalog/search-eval: top-1, top-3 and MRR per spec and overall, for the
 *   tasks the ranker was tuned on and for the held-out ones; also with the three specs in
 *   one catalog and no integration filter;
 * - scale, on catalogs of 100, 1,000 and 5,000 real tools (GitHub's api.github.com, GHEC and
 *   GHES specs, Stripe, Resend): index build time, the index's heap (JavaScript objects plus
 *   typed arrays), the stored documents' JSON size, and the median search latency over the
 *   evaluation's queries;
 * - the byte size of a 3-result `tools.search` answer.
 *
 *   npx tsx scripts/bench/search.ts
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { buildSearchIndex, search, searchDocumentOf, type SearchDocument, type SearchIndex } from "../../worker/catalog";
import { importOpenApi } from "../../worker/sources/openapi";
import { loadEvalSuites, scoreSuite, type Rank, type Scores, type Split } from "../../test/catalog/search-eval/run-eval";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const SIZES = [100, 1_000, 5_000];
const LIMIT = 20;
const HEAP_COPIES = 8;

const suites = loadEvalSuites();
const queries = suites.flatMap((suite) => [...suite.cases.tune, ...suite.cases.holdout].map(([query]) => query));

// --- quality ---
console.log("Quality (top-1 / top-3 / MRR; tune = tasks the ranker was tuned on, holdout = written after):");
const totals: Record<Split | "all", Scores[]> = { tune: [], holdout: [], all: [] };
for (const suite of suites) {
  const index = buildSearchIndex(suite.documents);
  const rank: Rank = (query) => search(index, query, { limit: 10 }).hits.map((hit) => hit.address);
  const line = (["tune", "holdout", "all"] as const).map((split) => {
    const scores = scoreSuite(suite, rank, split === "all" ? undefined : split);
    totals[split].push(scores);
    return `${split} ${format(scores)}`;
  });
  console.log(`  ${suite.integration.padEnd(8)} (${String(suite.documents.length).padStart(4)} tools)  ${line.join("   ")}`);
}
console.log(`  ${"overall".padEnd(20)}  ${(["tune", "holdout", "all"] as const).map((split) => `${split} ${format(merge(totals[split]))}`).join("   ")}`);

const combined = buildSearchIndex(suites.flatMap((suite) => suite.documents));
const combinedRank: Rank = (query) => search(combined, query, { limit: 10 }).hits.map((hit) => hit.address);
console.log(`  one catalog of ${combined.size} tools, no integration filter: ${format(merge(suites.map((suite) => scoreSuite(suite, combinedRank))))}`);

// --- scale ---
const pool = [...suites.flatMap((suite) => suite.documents), ...githubVariant("ghec", "ghec.json"), ...githubVariant("ghes", "ghes-3.19.json"), ...githubVariant("ghes317", "ghes-3.17.json")];
console.log(`\nScale (tools drawn from ${pool.length} real ones; latency over ${queries.length} queries, limit ${LIMIT}, median of per-query medians):`);
const indexes = new Map<number, SearchIndex>();
for (const size of SIZES) {
  const { index, buildMs, heap, jsonBytes } = measureBuild(sample(pool, size));
  indexes.set(size, index);
  const { arrays, strings, objects } = indexBytes(index);
  console.log(
    `  ${String(size).padStart(5)} tools: build ${buildMs.toFixed(1)} ms; index ${mb(arrays + strings + objects)} (typed arrays ${mb(arrays)}, strings ${mb(strings)}, objects ≈ ${mb(objects)}; heap delta measured ${mb(heap)}); documents as JSON ${mb(jsonBytes)}`,
  );
}
// Warm every index first, so that no size gets the JIT's cold start.
for (let round = 0; round < 3; round++) for (const index of indexes.values()) for (const query of queries) search(index, query, { limit: LIMIT });
const medians = new Map<number, number>();
for (const [size, index] of indexes) {
  const perQuery = queries.map((query) => {
    const samples: number[] = [];
    for (let i = 0; i < 15; i++) {
      const started = performance.now();
      search(index, query, { limit: LIMIT });
      samples.push(performance.now() - started);
    }
    return median(samples);
  });
  medians.set(size, median(perQuery) * 1000);
  const p90 = [...perQuery].sort((a, b) => a - b)[Math.floor(perQuery.length * 0.9)]! * 1000;
  const filtered = median(queries.map((query) => time(() => search(index, query, { limit: LIMIT, integration: "github" })))) * 1000;
  console.log(`  ${String(size).padStart(5)} tools: search median ${medians.get(size)!.toFixed(1)} µs, p90 ${p90.toFixed(1)} µs; with integration "github" median ${filtered.toFixed(1)} µs`);
}
console.log(`  latency 5,000 / 100 tools: ${(medians.get(5_000)! / medians.get(100)!).toFixed(2)}×`);

// --- answer size ---
const largest = indexes.get(5_000)!;
const answerBytes = queries.map((query) => {
  const { hits, total } = search(largest, query, { limit: 3 });
  const answer = { items: hits.map((hit) => ({ address: hit.address, description: hit.summary, hint: hit.hint, requiresApproval: false })), total, nextOffset: total > 3 ? 3 : null };
  return new TextEncoder().encode(JSON.stringify(answer)).length;
});
answerBytes.sort((a, b) => a - b);
console.log(`\n3-result answer ({items: [{address, description, hint, requiresApproval}], total, nextOffset}), ${queries.length} queries on 5,000 tools: median ${median(answerBytes)} B, max ${answerBytes[answerBytes.length - 1]} B`);

// --- helpers ---

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/**
 * What the index holds, counted: its typed arrays exactly, its strings (one byte a character,
 * two when any is past Latin-1, plus a 16-byte header), and its objects at V8's usual sizes
 * on 64-bit (a hit 56 bytes, a Map entry 32, an array slot 8). The heap delta is noisy (the
 * garbage collector's timing, strings V8 shares), so it is printed beside, not relied on.
 */
function indexBytes(index: SearchIndex): { arrays: number; strings: number; objects: number } {
  const arrays = Object.values(index).reduce((sum: number, value) => sum + (ArrayBuffer.isView(value) ? value.byteLength : 0), 0);
  const counted = new Set<string>();
  let strings = 0;
  const add = (text: string) => {
    if (counted.has(text)) return;
    counted.add(text);
    strings += 16 + text.length * (/[^\u0000-\u00ff]/.test(text) ? 2 : 1);
  };
  for (const hit of index.hits) [hit.address, hit.integration, hit.summary, hit.hint].forEach(add);
  index.sortedTerms.forEach(add);
  const objects = index.hits.length * (56 + 8) + index.termIds.size * 32 + index.sortedTerms.length * 8;
  return { arrays, strings, objects };
}

function format(scores: Scores): string {
  return `${pct(scores.top1)} / ${pct(scores.top3)} / ${scores.mrr.toFixed(3)} (n=${scores.cases})`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function merge(all: Scores[]): Scores {
  const cases = all.reduce((sum, scores) => sum + scores.cases, 0);
  const mean = (key: "top1" | "top3" | "mrr") => all.reduce((sum, scores) => sum + scores[key] * scores.cases, 0) / Math.max(1, cases);
  return { cases, top1: mean("top1"), top3: mean("top3"), mrr: mean("mrr"), misses: all.flatMap((scores) => scores.misses) };
}

/**
 * Build time (median of five) and the index's own heap: it is built from the documents as
 * read back from storage, which are then gone. Functions of their own, so that no frame
 * keeps the documents alive while the heap is measured.
 */
function measureBuild(documents: SearchDocument[]): { index: SearchIndex; buildMs: number; heap: number; jsonBytes: number } {
  const json = JSON.stringify(documents);
  const builds: number[] = [];
  for (let i = 0; i < 5; i++) builds.push(buildFromJson(json).ms);
  // Several copies kept at once, so that the garbage collector's noise averages out.
  const before = heapBytes();
  const copies = Array.from({ length: HEAP_COPIES }, () => buildFromJson(json).index);
  const heap = (heapBytes() - before) / HEAP_COPIES;
  return { index: copies[0]!, buildMs: median(builds), heap, jsonBytes: json.length };
}

function buildFromJson(json: string): { index: SearchIndex; ms: number } {
  const documents: SearchDocument[] = JSON.parse(json);
  const started = performance.now();
  const index = buildSearchIndex(documents);
  return { index, ms: performance.now() - started };
}

function githubVariant(integration: string, file: string): SearchDocument[] {
  const path = createRequire(import.meta.url).resolve(`@octokit/openapi/generated/${file}`);
  return importOpenApi(JSON.parse(readFileSync(path, "utf8"))).tools.map((tool) =>
    searchDocumentOf({ address: `${integration}.${tool.name}`, integration, description: tool.description, inputSchema: tool.inputSchema, invocation: tool.invocation }),
  );
}

/** `size` documents spread over the pool, the same ones every run. */
function sample(documents: SearchDocument[], size: number): SearchDocument[] {
  return documents.filter((_, i) => (i * 7919) % documents.length < size).slice(0, size);
}

function heapBytes(): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function time(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}


