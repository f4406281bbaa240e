/**
 * Bounds how many programs run at once in this isolate. One QuickJS module has one linear
 * memory shared by every runtime, and wasm memory never shrinks, so concurrent programs add
 * up: the budget keeps their sum inside the 128 MB isolate with room for the Worker itself.
 *
 * A program that must wait polls on a timer of its own rather than waiting for another
 * request to wake it: workerd cancels a request that waits only on another request's promise
 * as hung, and a cancelled waiter that was still queued would be handed memory it never frees.
 * With polling, nothing is reserved until the program actually starts. Waiters are not served
 * in strict order; every program asks for the same size by default, so none starves.
 */

/** Memory the isolate may give to sandboxes at once. */
export const SANDBOX_MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;
/** How often a waiting program looks for room. */
const POLL_MS = 10;

let inUse = 0;

/**
 * Waits until `bytes` of the budget are free and reserves them; call the returned function to
 * release. A program asking for more than the whole budget runs alone.
 */
export async function acquireSandboxSlot(bytes: number): Promise<() => void> {
  const wanted = Math.min(bytes, SANDBOX_MEMORY_BUDGET_BYTES);
  while (inUse + wanted > SANDBOX_MEMORY_BUDGET_BYTES) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  inUse += wanted;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    inUse -= wanted;
  };
}
