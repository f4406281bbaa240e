/**
 * Shares the isolate's memory between programs and the few big jobs that need much of it.
 *
 * Programs: one QuickJS module has one linear memory shared by every runtime, and wasm memory
 * never shrinks, so concurrent programs add up; the budget keeps their sum inside the 128 MB
 * isolate with room for the Worker itself. When the last program gives its slot back, a module
 * whose memory grew is dropped (quickjs.ts), so an idle isolate holds only the module's base.
 *
 * Big jobs (reading and storing a large spec: tens of MiB of heap for a few seconds) run
 * with no program at all: they wait for running programs to finish, and programs that arrive
 * meanwhile wait for them (docs/configuration.md, "Memory"). So a spec import never meets a
 * sandbox at its memory limit.
 *
 * Whoever must wait polls on a timer of its own rather than waiting for another request to
 * wake it: workerd cancels a request that waits only on another request's promise as hung,
 * and a cancelled waiter that was still queued would be handed memory it never frees. With
 * polling, nothing is reserved until the work actually starts. Programs are not served in
 * strict order; every program asks for the same size by default, so none starves.
 */
import { recycleIfGrown, SANDBOX_MEMORY_BUDGET_BYTES } from "./quickjs";

/** How often a waiting program or job looks for room. */
const POLL_MS = 10;

let inUse = 0;
/** Big jobs waiting or running: while any is, no program starts. */
let bigJobs = 0;

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/**
 * Waits until `bytes` of the budget are free (and no big job waits or runs) and reserves
 * them; call the returned function to release. A program asking for more than the whole
 * budget runs alone.
 */
export async function acquireSandboxSlot(bytes: number): Promise<() => void> {
  const wanted = Math.min(bytes, SANDBOX_MEMORY_BUDGET_BYTES);
  while (bigJobs > 0 || inUse + wanted > SANDBOX_MEMORY_BUDGET_BYTES) await pause();
  inUse += wanted;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    inUse -= wanted;
    if (inUse === 0) recycleIfGrown();
  };
}

/** Runs `job` once no program holds sandbox memory, keeping programs out until it ends. */
export async function withoutSandboxes<T>(job: () => Promise<T>): Promise<T> {
  bigJobs += 1;
  try {
    while (inUse > 0) await pause();
    // Taken whole, so a second big job waits for this one.
    inUse = SANDBOX_MEMORY_BUDGET_BYTES;
    try {
      return await job();
    } finally {
      inUse = 0;
    }
  } finally {
    bigJobs -= 1;
  }
}
