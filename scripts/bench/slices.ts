/**
 * What an include / exclude slice saves: time and Node heap of importing GitHub's full REST
 * spec against slices of it, and Microsoft's Graph mail workload whole and sliced; the Google
 * Discovery imports for comparison. Parsing is timed apart, since a slice does not make the
 * document smaller to parse. Pure conversion in Node (no Worker): the numbers compare slices,
 * they are not a Worker's.
 *
 *   node --expose-gc --import tsx scripts/bench/slices.ts
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { GCProfiler } from "node:v8";
import { resolve } from "node:path";
import { importGoogleDiscovery } from "../../worker/sources/google";
import { importOpenApi, parseSpecText, type PathFilter } from "../../worker/sources/openapi";
import { stats } from "./measure";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx scripts/bench/slices.ts");

const ROOT = resolve(import.meta.dirname, "../..");
const RUNS = 5;
const MiB = 1024 * 1024;

interface Case {
  name: string;
  file: string;
  convert: (document: unknown) => { tools: unknown[] };
}

const github = resolve(ROOT, "node_modules/@octokit/openapi/generated/api.github.com.json");
const graphMail = resolve(ROOT, "test/fixtures/msgraph/Mail.yml");
const openApi = (filter: PathFilter) => (document: unknown) => importOpenApi(document, filter);
const discovery = (name: string) => resolve(ROOT, `test/fixtures/google-discovery/${name}.json`);

const cases: Case[] = [
  { name: "GitHub REST, whole", file: github, convert: openApi({}) },
  { name: "GitHub REST, include /repos/{o}/{r}/{issues,pulls}/**", file: github, convert: openApi({ include: ["/repos/{owner}/{repo}/issues/**", "/repos/{owner}/{repo}/pulls/**"] }) },
  { name: "GitHub REST, include /repos/{o}/{r}/issues/**", file: github, convert: openApi({ include: ["/repos/{owner}/{repo}/issues/**"] }) },
  { name: "GitHub REST, exclude /repos/**", file: github, convert: openApi({ exclude: ["/repos/**"] }) },
  { name: "Graph mail workload, whole", file: graphMail, convert: openApi({}) },
  { name: "Graph mail, include /users/{id}/messages/**", file: graphMail, convert: openApi({ include: ["/users/{id}/messages/**"] }) },
  { name: "Google Gmail v1 (Discovery)", file: discovery("gmail.v1"), convert: importGoogleDiscovery },
  { name: "Google Calendar v3 (Discovery)", file: discovery("calendar.v3"), convert: importGoogleDiscovery },
  { name: "Google Drive v3 (Discovery)", file: discovery("drive.v3"), convert: importGoogleDiscovery },
];

const heapUsed = () => process.memoryUsage().heapUsed;
const median = (values: number[]) => stats(values).medianMs;

interface Measured {
  textMb: number;
  parseMs: number;
  documentMiB: number;
  tools: number;
  convertMs: number;
  peakMiB: number;
  allocatedMiB: number;
  retainedMiB: number;
}

/**
 * One case, in a process of its own (see the end of the file): a heap shared with earlier
 * cases keeps their JIT feedback and fragments, which moved these numbers by megabytes.
 */
function measure({ file, convert }: Case): Measured {
  const text = readFileSync(file, "utf8");
  // Results are held in arrays so the JIT cannot treat them as dead before the heap is read.
  const held: unknown[] = [];
  const parseTimes: number[] = [];
  const documentHeaps: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    held.length = 0;
    gc!();
    const before = heapUsed();
    const started = performance.now();
    held.push(parseSpecText(text));
    parseTimes.push(performance.now() - started);
    gc!();
    documentHeaps.push(heapUsed() - before);
  }

  const times: number[] = [];
  const peaks: number[] = [];
  const allocations: number[] = [];
  const retained: number[] = [];
  let tools = 0;
  for (let run = 0; run < RUNS; run++) {
    const results: { tools: unknown[] }[] = [];
    gc!();
    const before = heapUsed();
    const profiler = new GCProfiler();
    profiler.start();
    const started = performance.now();
    results.push(convert(held[0]));
    times.push(performance.now() - started);
    const end = heapUsed();
    const collections = profiler.stop()?.statistics ?? [];
    // The heap is at its fullest just before a collection: the peak is the largest of those
    // and of the end. Allocated = what the collections freed + what is still there at the end.
    const usedBefore = collections.map((event) => event.beforeGC.heapStatistics.usedHeapSize);
    const freed = collections.map((event) => Math.max(0, event.beforeGC.heapStatistics.usedHeapSize - event.afterGC.heapStatistics.usedHeapSize));
    peaks.push(Math.max(end, ...usedBefore) - before);
    allocations.push(freed.reduce((sum, bytes) => sum + bytes, 0) + end - before);
    gc!();
    retained.push(heapUsed() - before);
    tools = results[0].tools.length;
  }
  return {
    textMb: text.length / MiB,
    parseMs: median(parseTimes),
    documentMiB: median(documentHeaps) / MiB,
    tools,
    convertMs: median(times),
    peakMiB: median(peaks) / MiB,
    allocatedMiB: median(allocations) / MiB,
    retainedMiB: median(retained) / MiB,
  };
}

const caseIndex = process.argv[2];
if (caseIndex !== undefined) {
  // A child: measure one case and hand the numbers back on stdout.
  console.log(JSON.stringify(measure(cases[Number(caseIndex)])));
} else {
  const rows = cases.map((entry, index) => {
    const output = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, String(index)], { encoding: "utf8" });
    const m = JSON.parse(output.trim().split("\n").pop()!) as Measured;
    return `| ${entry.name} | ${m.textMb.toFixed(1)} MB | ${m.parseMs.toFixed(0)} ms, ${m.documentMiB.toFixed(1)} MiB | ${m.tools} | ${m.convertMs.toFixed(0)} ms | ${m.peakMiB.toFixed(1)} MiB | ${m.allocatedMiB.toFixed(0)} MiB | ${m.retainedMiB.toFixed(1)} MiB |`;
  });
  console.log(`\nNode ${process.version}; each source in a fresh process; medians of ${RUNS} parses and ${RUNS} conversions; heap from process.memoryUsage().heapUsed with --expose-gc.`);
  console.log("| source | text | parse (heap of the document) | tools | convert | peak heap above start | allocated | kept by the result |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}
