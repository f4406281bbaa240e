import { readFileSync } from "node:fs";
import { importGraphql, introspectionFromSdl } from "../../worker/sources/graphql";
const text = readFileSync(process.argv[2], "utf8");
(globalThis as any).gc(); const h0 = process.memoryUsage().heapUsed;
const t0 = performance.now(); const intro = introspectionFromSdl(text); const t1 = performance.now();
const h1 = process.memoryUsage().heapUsed;
const imported = importGraphql(intro); const t2 = performance.now(); const h2 = process.memoryUsage().heapUsed;
console.log(JSON.stringify({ mb: +(text.length/1048576).toFixed(2), sdlMs: Math.round(t1-t0), importMs: Math.round(t2-t1), heapMiB: Math.round((Math.max(h1,h2)-h0)/1048576), tools: imported.tools.length, queries: imported.queryCount, mutations: imported.mutationCount }));
