/**
 * Reading an execution's history record (GET /api/executions/:id) in tests. A finished run is
 * written just after its answer is sent, so tests poll, within a bound, until the record shows
 * what they wait for; a bound that runs out answers the last record seen, for the assertion
 * to report.
 */
import type { TestWorker } from "./worker";

/** One call as the history shows it. */
export interface HistoryCall {
  callId: number;
  kind: string;
  tool: string | null;
  args: unknown;
  connection: string | null;
  connectionShared?: boolean;
  /** The call options besides the connection, when the program gave any. */
  options?: unknown;
  policy: string | null;
  status: string;
  result?: unknown;
  error?: { code: string; message: string; status?: number; details?: unknown };
  decision: string | null;
}

/** The history record of one execution. */
export interface HistoryRecord {
  id: string;
  status: string;
  result?: unknown;
  error?: { code: string; message: string };
  logs: string[];
  calls: HistoryCall[];
}

/** The record as `email` sees it, with the raw text (for leak checks); null when not (yet) there. */
export async function readHistory(worker: TestWorker, id: string, email = "admin@example.com"): Promise<{ record: HistoryRecord; text: string } | null> {
  const response = await worker.asUser(email, `/api/executions/${id}`);
  const text = await response.text();
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`GET /api/executions/${id} answered ${response.status}: ${text}`);
  return { record: JSON.parse(text) as HistoryRecord, text };
}

/**
 * Polls the record until `done(record)` holds or `timeoutMs` passes; answers the last record
 * seen either way (null if none was ever there), so the caller's assertion names what was wrong.
 */
export async function waitForHistory(worker: TestWorker, id: string, done: (record: HistoryRecord) => boolean, timeoutMs = 5_000): Promise<HistoryRecord | null> {
  const deadline = Date.now() + timeoutMs;
  let last: HistoryRecord | null = null;
  for (;;) {
    last = (await readHistory(worker, id))?.record ?? null;
    if ((last && done(last)) || Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls `check` until it is true or `timeoutMs` passes; answers its last value. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
