/**
 * Runs executions: a new program (`execute`) or a paused one after a human decided
 * (`resume`). An execution is a program, a seed and a start time; replaying it with its
 * journal reaches the same point, on any isolate.
 *
 * D1 writes stay off the fast path: a run with no pause is recorded after the answer is
 * sent (ctx.waitUntil); a pause is recorded before answering, since a human acts on it next,
 * and only then announced (notifications/, through ctx.waitUntil), so a slow or failing
 * webhook can neither delay the answer nor lose the pause.
 */
import { identityFromId, type Caller } from "../auth";
import { database, type Database } from "../db";
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { notifyPause } from "../notifications";
import { acquireSandboxSlot, runProgram, type LogEntry } from "../sandbox";
import { recordExecution } from "./history-writer";
import { createHostBridge } from "./host-bridge";
import { loadExecution, loadJournal, saveEntryIfClaimed, saveExecution, saveHistoryOrFailure, transitionExecution, type ExecutionRecord, type JournalEntry } from "./store";
import { executionView, type ExecutionView } from "./views";

export interface RunContext {
  env: Env;
  caller: Caller;
  /** The Worker's origin, for the console link in an approval. */
  origin: string;
  waitUntil(promise: Promise<unknown>): void;
}

const MAX_CODE_CHARS = 256 * 1024;
/** `resume` on an undecided execution waits at most this long before answering `paused`. */
export const MAX_RESUME_WAIT_MS = 25_000;
const RESUME_POLL_MS = 1_000;
/** After this long a new execution is recorded as `running` before it finishes. */
const RUNNING_RECORD_DELAY_MS = 100;
/** Grace beyond the sandbox's wall time before a running execution counts as abandoned. */
const ABANDONED_AFTER_MS = 60_000;

/** Runs new code to completion, failure or a pause. */
export async function executeCode(context: RunContext, code: unknown): Promise<ExecutionView> {
  if (typeof code !== "string" || code.trim() === "") {
    throw new ExecutorError("invalid_request", "code must be a non-empty string", { details: [{ field: "code", problem: "required" }] });
  }
  if (code.length > MAX_CODE_CHARS) {
    throw new ExecutorError("payload_too_large", `code exceeds ${MAX_CODE_CHARS} characters`);
  }
  const now = Date.now();
  const record: ExecutionRecord = {
    id: `ex_${crypto.randomUUID().replaceAll("-", "")}`,
    identityId: context.caller.identity.id,
    identityLabel: context.caller.identity.email ?? context.caller.identity.subject ?? context.caller.identity.id,
    code,
    status: "running",
    resultJson: null,
    error: null,
    logs: [],
    seed: crypto.getRandomValues(new Uint32Array(1))[0]!,
    startTime: now,
    origin: context.origin,
    pausedSeq: null,
    expiresAt: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    durationMs: null,
  };
  const db = database(context.env.DB);
  // A program still running after a moment shows in the history as running. Most finish
  // sooner and are written once, when done: half the D1 writes on the hot path.
  let startedWrite: Promise<unknown> | undefined;
  const release = await acquireSandboxSlot(context.caller.config.sandbox.memoryBytes);
  const timer = setTimeout(() => {
    startedWrite = saveExecution(db, record, []).catch((error) => console.error("recording a started execution failed", error));
  }, RUNNING_RECORD_DELAY_MS);
  try {
    return await run(context, db, record, new Map(), { startedWrite: () => startedWrite ?? Promise.resolve() });
  } finally {
    clearTimeout(timer);
    release();
  }
}

/**
 * Continues a paused execution once a human decided; waits up to `waitMs` for the decision.
 * Only its owner (or an admin) may resume it.
 */
export async function resumeExecution(context: RunContext, id: unknown, waitMs = MAX_RESUME_WAIT_MS): Promise<ExecutionView> {
  if (typeof id !== "string" || id === "") {
    throw new ExecutorError("invalid_request", "executionId must be a string", { details: [{ field: "executionId", problem: "required" }] });
  }
  const db = database(context.env.DB);
  const deadline = Date.now() + Math.max(0, Math.min(waitMs, MAX_RESUME_WAIT_MS));
  for (;;) {
    const record = await loadExecution(db, id);
    const identity = context.caller.identity;
    if (!record || (record.identityId !== identity.id && !identity.roles.includes("admin"))) {
      throw new ExecutorError("not_found", `No execution ${id}`);
    }
    const now = Date.now();
    if (record.status === "running" && isAbandoned(record, context.caller.config, now)) {
      // The isolate running a resumed execution died. Replay it again: whatever was in
      // flight answers `interrupted` and is never sent twice.
      const view = await claimAndRun(context, db, record);
      if (view) return view;
      continue;
    }
    if (record.status !== "paused") return executionView(db, record);
    if (record.expiresAt !== null && record.expiresAt <= now) return expire(db, record, now);

    const journal = await loadJournal(db, id);
    const paused = journal.find((entry) => entry.seq === record.pausedSeq);
    if (paused?.decision) {
      const view = await claimAndRun(context, db, record);
      if (view) return view;
      // Another isolate resumed it first; report what it shows after a moment.
      await sleep(RESUME_POLL_MS);
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) return executionView(db, record);
    await sleep(Math.min(RESUME_POLL_MS, remaining));
  }
}

/**
 * Claims a paused (or abandoned) execution and runs it on. The sandbox slot is taken first:
 * claiming and then waiting for memory would leave a claim that looks abandoned to another
 * resume, and two runs could then send the same approved call. Null when another resume
 * claimed it meanwhile.
 */
async function claimAndRun(context: RunContext, db: Database, record: ExecutionRecord): Promise<ExecutionView | null> {
  const release = await acquireSandboxSlot(context.caller.config.sandbox.memoryBytes);
  try {
    const now = Date.now();
    if (!(await transitionExecution(db, record.id, record.version, record.status, "running", now))) return null;
    const journal = await loadJournal(db, record.id);
    const claimed: ExecutionRecord = { ...record, status: "running", version: record.version + 1, updatedAt: now };
    return await run(context, db, claimed, new Map(journal.map((entry) => [entry.seq, entry])), { claimedVersion: claimed.version });
  } finally {
    release();
  }
}

/**
 * Runs (or replays) a program with a sandbox slot already held and records the outcome.
 * A first run passes the pending `running` write (later writes go after it); a resumed run
 * passes the version it claimed, and every write it makes is conditional on it.
 */
async function run(
  context: RunContext,
  db: Database,
  record: ExecutionRecord,
  journal: Map<number, JournalEntry>,
  held: { startedWrite: () => Promise<unknown> } | { claimedVersion: number },
): Promise<ExecutionView> {
  const limits = context.caller.config.sandbox;
  const claimedVersion = "claimedVersion" in held ? held.claimedVersion : undefined;
  const startedWrite = "startedWrite" in held ? held.startedWrite : () => Promise.resolve();
  // Tool calls always act for the execution's owner (their personal connections, their
  // rights), whoever resumes it.
  const owner =
    record.identityId === context.caller.identity.id ? context.caller.identity : (identityFromId(record.identityId, context.caller.config) ?? context.caller.identity);
  const bridge = createHostBridge({
    db,
    env: context.env,
    caller: { ...context.caller, identity: owner },
    journal,
    ...(claimedVersion === undefined ? {} : { persistInFlight: (entry: JournalEntry) => saveEntryIfClaimed(db, record.id, entry, claimedVersion) }),
  });
  const outcome = await runProgram({ code: record.code, seed: record.seed, startTime: record.startTime, limits, bridge });

  const now = Date.now();
  /** A pause at a call not announced before (a replay that stops at the same call is not new). */
  let newPause = false;
  const finished: ExecutionRecord = {
    ...record,
    logs: formatLogs(outcome.logs),
    updatedAt: now,
    version: record.version + 1,
  };
  if (bridge.stop) {
    Object.assign(finished, { status: "failed", error: bridge.stop, finishedAt: now, durationMs: now - record.createdAt, pausedSeq: null, expiresAt: null });
  } else if (outcome.status === "completed") {
    Object.assign(finished, { status: "completed", resultJson: outcome.resultJson ?? null, finishedAt: now, durationMs: now - record.createdAt, pausedSeq: null, expiresAt: null });
  } else if (outcome.status === "failed") {
    Object.assign(finished, { status: "failed", error: outcome.error, finishedAt: now, durationMs: now - record.createdAt, pausedSeq: null, expiresAt: null });
  } else {
    const samePause = record.pausedSeq === outcome.atSeq && record.expiresAt !== null;
    Object.assign(finished, { status: "paused", pausedSeq: outcome.atSeq, expiresAt: samePause ? record.expiresAt : now + context.caller.config.approvalTtlMs });
    newPause = !samePause;
  }

  const changed = [...bridge.changed].map((seq) => journal.get(seq)!);
  if (finished.status === "paused" || claimedVersion !== undefined) {
    await startedWrite();
    const stored = await saveHistoryOrFailure(db, finished, changed, claimedVersion);
    // Another resume took the execution over: what it shows is the truth, not this run.
    if (!stored) return executionView(db, (await loadExecution(db, record.id)) ?? finished);
    if (stored !== finished) return executionView(db, stored);
    // The pause is stored: now a person may be told (never before, never blocking the answer).
    const call = newPause ? journal.get(finished.pausedSeq!) : undefined;
    if (call) context.waitUntil(notifyPause({ db, config: context.caller.config, owner, execution: finished, call }));
  } else {
    context.waitUntil(startedWrite().then(() => recordExecution(db, finished, changed)));
  }
  return executionView(db, finished, journal);
}

/**
 * A resumed execution still `running` long after any run could last lost its isolate. Only
 * executions that paused once have a durable journal to replay; others are left as they are.
 */
function isAbandoned(record: ExecutionRecord, config: Config, now: number): boolean {
  return record.pausedSeq !== null && now - record.updatedAt > config.sandbox.wallTimeMs + ABANDONED_AFTER_MS;
}

async function expire(db: Database, record: ExecutionRecord, now: number): Promise<ExecutionView> {
  const error = { code: "expired", message: "Nobody decided the paused call in time" };
  await transitionExecution(db, record.id, record.version, "paused", "expired", now, { error, finishedAt: now });
  return executionView(db, { ...record, status: "expired", error, finishedAt: now });
}

function formatLogs(logs: LogEntry[]): string[] {
  return logs.map((entry) => (entry.level === "log" || entry.level === "info" ? entry.message : `[${entry.level}] ${entry.message}`));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
