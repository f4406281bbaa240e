/**
 * Runs executions: a new program (`execute`) or a paused one after a human decided
 * (`resume`). An execution is a program, a seed and a start time; replaying it with its
 * journal reaches the same point, on any isolate.
 *
 * D1 writes stay off the fast path: a run with no pause is recorded after the answer is
 * sent (ctx.waitUntil); a pause is recorded before answering, since a human acts on it next,
 * and only then announced (notifications/, through ctx.waitUntil), so a slow or failing
 * webhook can neither delay the answer nor lose the pause.
 *
 * Set-up: with `RunOptions.setUp`, a call that fails for want of a connection stops the run
 * (host-bridge.ts); the engine lets the caller ask a person (an MCP client that can open a
 * URL), then runs the program again from its journal, so that call is retried once and
 * nothing before it is sent twice. The sandbox slot is given back while the person acts.
 */
import { identityFromId, type Caller } from "../auth";
import { database, type Database, type ExecutionError } from "../db";
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { notifyPause } from "../notifications";
import { acquireSandboxSlot, runProgram, type HostReply, type LogEntry } from "../sandbox";
import { recordExecution } from "./history-writer";
import { createHostBridge, type SetUpNeed } from "./host-bridge";
import { SET_UP_ERROR_CODES } from "./live-calls";
import { loadExecution, loadJournal, saveEntryIfClaimed, saveExecution, saveHistoryOrFailure, transitionExecution, type ExecutionRecord, type JournalEntry } from "./store";
import { executionView, type ExecutionView } from "./views";

export interface RunContext {
  env: Env;
  caller: Caller;
  /** The Worker's origin, for the console link in an approval. */
  origin: string;
  /** The toolkit a new execution runs in (null or absent: the whole catalogue). A resume applies the execution's own. */
  toolkit?: string | null;
  waitUntil(promise: Promise<unknown>): void;
}

/** What a caller that can reach a person offers a run. */
export interface RunOptions {
  /**
   * Asks a person to add or re-authorise the connection a call lacks; resolves when they are
   * done or the wait ended. The call is then retried once. Absent: the call fails at once.
   */
  setUp?(need: SetUpNeed): Promise<void>;
}

type RunResult = { kind: "done"; view: ExecutionView } | { kind: "set_up"; need: SetUpNeed };

const MAX_CODE_CHARS = 256 * 1024;
/** `resume` on an undecided execution waits at most this long before answering `paused`. */
export const MAX_RESUME_WAIT_MS = 25_000;
const RESUME_POLL_MS = 1_000;
/** After this long a new execution is recorded as `running` before it finishes. */
const RUNNING_RECORD_DELAY_MS = 100;
/** Grace beyond the sandbox's wall time before a running execution counts as abandoned. */
const ABANDONED_AFTER_MS = 60_000;

/** Runs new code to completion, failure or a pause. */
export async function executeCode(context: RunContext, code: unknown, options: RunOptions = {}): Promise<ExecutionView> {
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
    toolkit: context.toolkit ?? null,
  };
  const db = database(context.env.DB);
  // A program still running after a moment shows in the history as running. Most finish
  // sooner and are written once, when done: half the D1 writes on the hot path.
  let startedWrite: Promise<unknown> | undefined;
  const slot: Slot = { release: await acquireSandboxSlot(context.caller.config.sandbox.memoryBytes) };
  const timer = setTimeout(() => {
    startedWrite = saveExecution(db, record, []).catch((error) => console.error("recording a started execution failed", error));
  }, RUNNING_RECORD_DELAY_MS);
  const journal = new Map<number, JournalEntry>();
  const changed = new Set<number>();
  try {
    return await runWithSetUp(context, slot, journal, changed, options, (holdForSetUp) =>
      run(context, db, record, journal, changed, { startedWrite: () => startedWrite ?? Promise.resolve() }, holdForSetUp),
    );
  } finally {
    clearTimeout(timer);
    slot.release();
  }
}

/**
 * Continues a paused execution once a human decided; waits up to `waitMs` for the decision.
 * Only its owner (or an admin) may resume it.
 */
export async function resumeExecution(context: RunContext, id: unknown, waitMs = MAX_RESUME_WAIT_MS, options: RunOptions = {}): Promise<ExecutionView> {
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
      const view = await claimAndRun(context, db, record, options);
      if (view) return view;
      continue;
    }
    if (record.status !== "paused") return executionView(db, record);
    if (record.expiresAt !== null && record.expiresAt <= now) return expire(db, record, now);

    const journal = await loadJournal(db, id);
    const paused = journal.find((entry) => entry.seq === record.pausedSeq);
    if (paused?.decision) {
      const view = await claimAndRun(context, db, record, options);
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
async function claimAndRun(context: RunContext, db: Database, record: ExecutionRecord, options: RunOptions): Promise<ExecutionView | null> {
  const slot: Slot = { release: await acquireSandboxSlot(context.caller.config.sandbox.memoryBytes) };
  try {
    const now = Date.now();
    if (!(await transitionExecution(db, record.id, record.version, record.status, "running", now))) return null;
    const journal = new Map((await loadJournal(db, record.id)).map((entry) => [entry.seq, entry]));
    const claimed: ExecutionRecord = { ...record, status: "running", version: record.version + 1, updatedAt: now };
    const changed = new Set<number>();
    // The claim is kept while the person sets up; if that outlasts the abandonment delay,
    // another resume may take the execution over, and this run then sends nothing more.
    return await runWithSetUp(context, slot, journal, changed, options, (holdForSetUp) =>
      run(context, db, claimed, journal, changed, { claimedVersion: claimed.version }, holdForSetUp),
    );
  } finally {
    slot.release();
  }
}

/** The sandbox slot a request holds; `release` gives back whichever it holds now. */
interface Slot {
  release: () => void;
}

/**
 * Runs the program, and when it stops for a set-up the person does in their client (a
 * connection), gives the sandbox slot back while they act, then takes one again and runs once
 * more. Only one set-up per request.
 */
async function runWithSetUp(
  context: RunContext,
  slot: Slot,
  journal: Map<number, JournalEntry>,
  changed: Set<number>,
  options: RunOptions,
  runOnce: (holdForSetUp: boolean) => Promise<RunResult>,
): Promise<ExecutionView> {
  let setUp = options.setUp;
  for (;;) {
    const result = await runOnce(setUp !== undefined);
    if (result.kind === "done") return result.view;
    slot.release();
    slot.release = () => {};
    await setUp!(result.need);
    setUp = undefined;
    forgetUndecided(journal, changed);
    slot.release = await acquireSandboxSlot(context.caller.config.sandbox.memoryBytes);
  }
}

/**
 * Before a run after set-up: calls held for a human but not yet decided are forgotten, so
 * they are decided again with the connection they resolve to now (their binding was fixed
 * before the person set one up). They were never sent.
 */
function forgetUndecided(journal: Map<number, JournalEntry>, changed: Set<number>): void {
  for (const [seq, entry] of journal) {
    if (entry.status === "awaiting_approval" && entry.decision === null) {
      journal.delete(seq);
      changed.delete(seq);
    }
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
  /** The entries this run (and any before it in the same request) added or changed. */
  changed: Set<number>,
  held: { startedWrite: () => Promise<unknown> } | { claimedVersion: number },
  holdForSetUp: boolean,
): Promise<RunResult> {
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
    // The execution's own toolkit and origin, whoever resumes it and through which endpoint.
    toolkit: record.toolkit,
    origin: record.origin,
    holdForSetUp,
    changed,
    ...(claimedVersion === undefined ? {} : { persistInFlight: (entry: JournalEntry) => saveEntryIfClaimed(db, record.id, entry, claimedVersion) }),
  });
  const outcome = await runProgram({ code: record.code, seed: record.seed, startTime: record.startTime, limits, bridge });
  const setUp = bridge.setUp;
  if (!bridge.stop && setUp && outcome.status === "suspended" && outcome.atSeq === setUp.seq) return { kind: "set_up", need: setUp };
  bridge.settleHeld();

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
    Object.assign(finished, { status: "failed", error: withSetUpDetails(outcome.error, journal), finishedAt: now, durationMs: now - record.createdAt, pausedSeq: null, expiresAt: null });
  } else {
    const samePause = record.pausedSeq === outcome.atSeq && record.expiresAt !== null;
    Object.assign(finished, { status: "paused", pausedSeq: outcome.atSeq, expiresAt: samePause ? record.expiresAt : now + context.caller.config.approvalTtlMs });
    newPause = !samePause;
  }

  const entries = [...changed].map((seq) => journal.get(seq)!);
  if (finished.status === "paused" || claimedVersion !== undefined) {
    await startedWrite();
    const stored = await saveHistoryOrFailure(db, finished, entries, claimedVersion);
    // Another resume took the execution over: what it shows is the truth, not this run.
    if (!stored) return done(await executionView(db, (await loadExecution(db, record.id)) ?? finished));
    if (stored !== finished) return done(await executionView(db, stored));
    // The pause is stored: now a person may be told (never before, never blocking the answer).
    const call = newPause ? journal.get(finished.pausedSeq!) : undefined;
    if (call) context.waitUntil(notifyPause({ db, config: context.caller.config, owner, execution: finished, call }));
  } else {
    context.waitUntil(startedWrite().then(() => recordExecution(db, finished, entries)));
  }
  return done(await executionView(db, finished, journal));
}

function done(view: ExecutionView): RunResult {
  return { kind: "done", view };
}

/**
 * An uncaught set-up failure keeps its `details` (the set-up URL) on the execution's error,
 * so the agent can show it: the program saw it on the call that failed last with that code.
 */
function withSetUpDetails(error: { code: string; message: string }, journal: Map<number, JournalEntry>): ExecutionError {
  if (!SET_UP_ERROR_CODES.has(error.code)) return error;
  const calls = [...journal.values()].filter((entry) => entry.status === "error" && entry.reply !== null).sort((a, b) => b.seq - a.seq);
  for (const call of calls) {
    const reply = JSON.parse(call.reply!) as HostReply;
    if (!reply.ok && reply.error.code === error.code && reply.error.details !== undefined) return { ...error, details: reply.error.details };
  }
  return error;
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
