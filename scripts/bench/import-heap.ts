/**
 * What the GitHub REST import keeps alive at each step, measured in Node (the same V8 and the
 * same conversion code as the Worker) with a full collection before each reading, so garbage
 * is not counted. workerd's inspector can only sample the isolate's heap between its tasks
 * (scripts/bench/dev.ts does): those samples include garbage not yet collected.
 *
 *   node --expose-gc --import tsx scripts/bench/import-heap.ts
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { storedSearchDocument } from "../../worker/catalog";
import { readJsonText } from "../../worker/http";
import { MAX_SPEC_BYTES } from "../../worker/integrations/openapi";
import { importOpenApi, parseSpecText } from "../../worker/sources";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const MiB = 1024 * 1024;
/** Live bytes: two full collections with a pause between, so sweeping has finished. */
const live = async () => {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  return process.memoryUsage().heapUsed;
};

const SPEC = resolve(import.meta.dirname, "../../node_modules/@octokit/openapi/generated/api.github.com.json");
const rows: [string, number][] = [];
const base = await live();
const note = async (step: string) => rows.push([step, (await live()) - base]);

// The request body as the Worker reads it (http/read-body.ts): a JSON object whose `spec` is
// the document's text, read as ASCII text with `\u` escapes.
const sent = new TextEncoder().encode(JSON.stringify({ kind: "openapi", spec: readFileSync(SPEC, "utf8") }));
let body: string | undefined = await readJsonText(new Request("http://localhost/api/integrations", { method: "POST", body: sent }), MAX_SPEC_BYTES);
await note("the request body's text (one byte a character)");
let input: { spec?: string } | undefined = JSON.parse(body) as { spec: string };
await note("+ the parsed body (its `spec` string)");
body = undefined;
await note("the parsed body alone (its text collected)");
let text: string | undefined = input.spec;
delete input.spec;
input = undefined;
const document = parseSpecText(text!);
await note("+ the parsed document (while parsing, the spec's text is alive too)");
text = undefined;
await note("the document alone (the pasted text is held by nothing: integrations/pasted-spec.ts)");
const imported = importOpenApi(document, {});
await note("+ the converted tools");
// The rows as store.ts builds them, then the batch as the D1 binding sends it: one JSON text
// of every statement's parameters, then its UTF-8 bytes.
const columns = imported.tools.map((tool) => {
  const address = `github.${tool.name}`;
  const searchDocument = storedSearchDocument({ address, integration: "github", description: tool.description, inputSchema: tool.inputSchema, invocation: tool.invocation });
  return [address, "github", tool.name, tool.description, JSON.stringify(tool.inputSchema), JSON.stringify(tool.outputSchema), tool.defaultPolicy, JSON.stringify(tool.invocation), JSON.stringify(searchDocument), Date.now()];
});
await note("+ the tool rows' columns");
const batchText = JSON.stringify(columns.map((params) => ({ sql: "insert into tools values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params })));
await note("+ the batch's JSON text");
const batchBytes = new TextEncoder().encode(batchText);
await note("+ its UTF-8 bytes (outside the heap: ArrayBuffer)");
console.log(`batch: ${(batchText.length / MiB).toFixed(1)} M characters, ${(batchBytes.byteLength / MiB).toFixed(1)} MiB of bytes (counted by V8 as external memory)`);
(globalThis as { keep?: unknown }).keep = [document, imported, columns, batchText, batchBytes];

console.log("\n| GitHub REST import, live heap above the start (Node, after a full collection) | MiB |\n|---|---|");
for (const [step, bytes] of rows) console.log(`| ${step} | ${(bytes / MiB).toFixed(1)} |`);
