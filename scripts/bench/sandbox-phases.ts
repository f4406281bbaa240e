/**
 * What a fresh QuickJS sandbox costs, phase by phase, in Node with the Worker's wasm build
 * (@jitl/quickjs-wasmfile-release-sync) and its prelude: why `execute` of `return 1` cannot
 * come near the cost of a request that does nothing (BENCHMARKS.md, "Through wrangler dev").
 * Each row is the mean over 3,000 rounds after 300 warm-up rounds; each round creates and
 * disposes its own runtime and context, as every execution does.
 *
 *   npx tsx scripts/bench/sandbox-phases.ts
 */
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, type QuickJSContext } from "quickjs-emscripten-core";
import { PRELUDE } from "../../worker/sandbox/prelude";

const ROUNDS = 3_000;
const WARM_UP = 300;
const module = await newQuickJSWASMModuleFromVariant(variant);

/** Mean microseconds of one round: a runtime and context, `work` in the context, both disposed. */
function perRound(work: (context: QuickJSContext) => void): number {
  const round = () => {
    const runtime = module.newRuntime();
    const context = runtime.newContext();
    work(context);
    context.dispose();
    runtime.dispose();
  };
  for (let i = 0; i < WARM_UP; i++) round();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) round();
  return ((performance.now() - started) / ROUNDS) * 1000;
}

function compile(context: QuickJSContext, code: string): void {
  const result = context.evalCode(code, "bench.js", { type: "global", strict: true, compileOnly: true });
  if (result.error) throw new Error(String(context.dump(result.error)));
  result.value.dispose();
}

const trivial = `(function () {\n${Array.from({ length: 150 }, (_, i) => `  var a${i} = ${i};`).join("\n")}\n})`;
const base = perRound(() => {});
const rows: [string, number][] = [
  ["runtime + context, created and disposed", base],
  [`+ compiling the prelude (${(PRELUDE.length / 1024).toFixed(1)} KB)`, perRound((context) => compile(context, PRELUDE)) - base],
  [`+ compiling ${(trivial.length / 1024).toFixed(1)} KB of \`var a = 1;\` lines`, perRound((context) => compile(context, trivial)) - base],
  ["+ compiling and running `(async () => { return 1 })()`", perRound((context) => context.unwrapResult(context.evalCode("(async () => { return 1 })()", "bench.js", { type: "global", strict: true })).dispose()) - base],
];
console.log(`Node ${process.version}; QuickJS ${variant.type} ${"release-sync"}; mean of ${ROUNDS} rounds`);
console.log("| phase | µs |\n|---|---|");
for (const [phase, micros] of rows) console.log(`| ${phase} | ${micros.toFixed(0)} |`);
