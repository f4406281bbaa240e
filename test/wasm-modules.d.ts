// The QuickJS wasm, as wrangler bundles it (the Worker's own declaration is in worker/env.d.ts).
declare module "@jitl/quickjs-wasmfile-release-sync/wasm" {
  const module: WebAssembly.Module;
  export default module;
}
