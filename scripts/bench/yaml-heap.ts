/**
 * How much heap parsing a YAML spec takes with the Worker's parser (sources/openapi/parse-spec.ts,
 * js-yaml), by size, beside the `yaml` package it replaced: YAML documents of 0.8 to 2.9 MB are written from slices of
 * GitHub's REST spec (@octokit/openapi), and each is parsed in a child Node process under a
 * shrinking --max-old-space-size, to find the smallest heap that parses it. Microsoft's Graph
 * workload slices are YAML (Mail 0.2 MB, Calendar 0.8 MB, Users 1.2 MB, Files and Teams 2.7 to
 * 2.8 MB), and a Worker isolate has 128 MB in all, so this says which ones a Worker can read.
 * The same documents as JSON are parsed for comparison. Node, not workerd: the numbers compare
 * sizes and formats, they are not a Worker's.
 *
 *   node --import tsx scripts/bench/yaml-heap.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";

const ROOT = resolve(import.meta.dirname, "../..");
const HEAPS_MIB = [16, 24, 32, 48, 64, 96, 128];
/** How many paths (and as many component schemas) of GitHub's spec each document keeps. */
const SLICES = [8, 60, 120, 200, 424];

type Parser = "js-yaml" | "yaml" | "json";
const parseScript = (file: string, parser: Parser) =>
  ({
    "js-yaml": `import yaml from "js-yaml"; import { readFileSync } from "node:fs"; yaml.load(readFileSync(${JSON.stringify(file)}, "utf8"), { schema: yaml.CORE_SCHEMA.extend({ implicit: [yaml.types.merge] }), json: true });`,
    yaml: `import { parse } from "yaml"; import { readFileSync } from "node:fs"; parse(readFileSync(${JSON.stringify(file)}, "utf8"), { merge: true, uniqueKeys: false, maxAliasCount: 100 });`,
    json: `import { readFileSync } from "node:fs"; JSON.parse(readFileSync(${JSON.stringify(file)}, "utf8"));`,
  })[parser];

/** The smallest heap (MiB) in HEAPS_MIB that parses the file, or null when none does. */
function smallestHeap(file: string, parser: Parser): { heapMiB: number | null; ms: number | null } {
  for (const heap of HEAPS_MIB) {
    try {
      const started = performance.now();
      execFileSync(process.execPath, [`--max-old-space-size=${heap}`, "--input-type=module", "-e", parseScript(file, parser)], { cwd: ROOT, stdio: "pipe" });
      return { heapMiB: heap, ms: Math.round(performance.now() - started) };
    } catch {
      // Out of memory at this heap: try a larger one.
    }
  }
  return { heapMiB: null, ms: null };
}

const github = JSON.parse(readFileSync(resolve(ROOT, "node_modules/@octokit/openapi/generated/api.github.com.json"), "utf8")) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
const folder = mkdtempSync(join(tmpdir(), "yaml-heap-"));
const rows: string[] = [];
for (const count of SLICES) {
  const document = {
    ...github,
    paths: Object.fromEntries(Object.entries(github.paths).slice(0, count)),
    components: { schemas: Object.fromEntries(Object.entries(github.components.schemas).slice(0, count)) },
  };
  const yamlFile = join(folder, `${count}.yml`);
  const jsonFile = join(folder, `${count}.json`);
  writeFileSync(yamlFile, stringify(document));
  writeFileSync(jsonFile, JSON.stringify(document));
  const jsYaml = smallestHeap(yamlFile, "js-yaml");
  const yaml = smallestHeap(yamlFile, "yaml");
  const json = smallestHeap(jsonFile, "json");
  const mb = (file: string) => (readFileSync(file).length / 1e6).toFixed(2);
  const show = (result: { heapMiB: number | null }) => (result.heapMiB === null ? `> ${HEAPS_MIB.at(-1)} MiB` : `≤ ${result.heapMiB} MiB`);
  rows.push(`| ${mb(yamlFile)} MB | ${show(jsYaml)} | ${show(yaml)} | ${mb(jsonFile)} MB | ${show(json)} |`);
}
console.log(`Node ${process.version}; the smallest --max-old-space-size (of ${HEAPS_MIB.join(", ")} MiB) that parses each document.`);
console.log("| YAML | heap to parse it: js-yaml (the Worker's) | \`yaml\` (before) | the same as JSON | heap to parse it |\n|---|---|---|---|---|");
for (const row of rows) console.log(row);
