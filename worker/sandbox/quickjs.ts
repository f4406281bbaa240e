/**
 * The QuickJS WebAssembly module, loaded once per isolate. workerd cannot fetch or compile
 * wasm at runtime, so the module is imported statically (wrangler's CompiledWasm rule) and
 * handed to the variant. Every execution gets its own runtime and context from this module.
 */
import variant from "@jitl/quickjs-wasmfile-release-sync";
import wasmModule from "@jitl/quickjs-wasmfile-release-sync/wasm";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";

/** Memory the isolate may give to sandboxes at once, on top of the module's base (docs/configuration.md). */
export const SANDBOX_MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;
const WASM_PAGE_BYTES = 64 * 1024;
/** The module's own initial memory (its declared minimum). */
const INITIAL_BYTES = 16 * 1024 * 1024;

let loading: Promise<QuickJSWASMModule> | undefined;
let currentMemory: WebAssembly.Memory | undefined;

/**
 * An idle module whose memory grew past this is dropped (recycleIfGrown): wasm memory never
 * shrinks, so without it one memory-hungry program would keep the isolate's memory high until
 * the isolate is recycled.
 */
const RECYCLE_ABOVE_BYTES = INITIAL_BYTES + 8 * 1024 * 1024;

/** True when the sandboxes' memory has grown to its cap (allocations are failing). */
export function sandboxMemoryFull(): boolean {
  const maximum = INITIAL_BYTES + SANDBOX_MEMORY_BUDGET_BYTES;
  return currentMemory !== undefined && currentMemory.buffer.byteLength >= maximum - WASM_PAGE_BYTES;
}

/**
 * The isolate's QuickJS module (loaded on first use, ~10 ms).
 *
 * Its linear memory is created here with a hard maximum. QuickJS's own per-runtime limit
 * (setMemoryLimit) counts only a few bytes per allocation in this emscripten build, where
 * malloc_usable_size is unavailable, so it stops single huge allocations but not a program
 * making many 1 MB strings: without a maximum, one program grew the isolate to 2 GB. With
 * it, the allocator fails at the cap, QuickJS throws "out of memory" and the module stays
 * usable. The cap is the sandboxes' shared budget on top of the module's own base.
 */
export function quickJS(): Promise<QuickJSWASMModule> {
  if (loading) return loading;
  const wasmMemory = new WebAssembly.Memory({
    initial: INITIAL_BYTES / WASM_PAGE_BYTES,
    maximum: (INITIAL_BYTES + SANDBOX_MEMORY_BUDGET_BYTES) / WASM_PAGE_BYTES,
  });
  currentMemory = wasmMemory;
  loading = newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule, wasmMemory })).catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Called when no program holds a sandbox slot: drops a module whose memory has grown, so the
 * garbage collector frees that memory and the next program starts on a fresh module (a few
 * milliseconds). Nothing refers to the module then: every program gets it after its slot.
 */
export function recycleIfGrown(): void {
  if (currentMemory === undefined || currentMemory.buffer.byteLength <= RECYCLE_ABOVE_BYTES) return;
  loading = undefined;
  currentMemory = undefined;
}

/**
 * Drops the module after a wasm trap (an emscripten abort leaves the instance unusable);
 * the next execution instantiates a fresh one.
 */
export function discardQuickJS(): void {
  loading = undefined;
}
