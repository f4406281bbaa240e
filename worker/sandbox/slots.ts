/**
 * Bounds how many programs run at once in this isolate. One QuickJS module has one linear
 * memory shared by every runtime, and wasm memory never shrinks, so concurrent programs add
 * up: the budget keeps their sum inside the 128 MB isolate with room for the Worker itself.
 */

/** Memory the isolate may give to sandboxes at once. */
export const SANDBOX_MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;

let inUse = 0;
const waiting: { bytes: number; wake: () => void }[] = [];

/**
 * Waits until `bytes` of the budget are free and reserves them; call the returned function to
 * release. A program asking for more than the whole budget runs alone.
 */
export async function acquireSandboxSlot(bytes: number): Promise<() => void> {
  const wanted = Math.min(bytes, SANDBOX_MEMORY_BUDGET_BYTES);
  if (waiting.length > 0 || inUse + wanted > SANDBOX_MEMORY_BUDGET_BYTES) {
    await new Promise<void>((wake) => waiting.push({ bytes: wanted, wake }));
  } else {
    inUse += wanted;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    inUse -= wanted;
    while (waiting.length > 0 && inUse + waiting[0]!.bytes <= SANDBOX_MEMORY_BUDGET_BYTES) {
      const next = waiting.shift()!;
      inUse += next.bytes;
      next.wake();
    }
  };
}
