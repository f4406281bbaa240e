/**
 * The QuickJS WebAssembly module, loaded once per isolate. workerd cannot fetch or compile
 * wasm at runtime, so the module is imported statically (wrangler's CompiledWasm rule) and
 * handed to the variant. Every execution gets its own runtime and context from this module.
 */
import variant from "@jitl/quickjs-wasmfile-release-sync";
import wasmModule from "@jitl/quickjs-wasmfile-release-sync/wasm";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";

let loading: Promise<QuickJSWASMModule> | undefined;

/** The isolate's QuickJS module (loaded on first use, ~10 ms). */
export function quickJS(): Promise<QuickJSWASMModule> {
  loading ??= newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule })).catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Drops the module after a wasm trap (an emscripten abort leaves the instance unusable);
 * the next execution instantiates a fresh one.
 */
export function discardQuickJS(): void {
  loading = undefined;
}
