/**
 * Runs one program in a fresh QuickJS runtime and context, disposed afterwards.
 *
 * Host calls (`tools.*`) are async: the program gets a QuickJS promise, the host does the
 * work, and the result is fed back in. Results are delivered strictly in the order the
 * calls were made, whatever order they finish in, so a program sees the same sequence on
 * every run; replay after an approval depends on that.
 *
 * This module knows nothing about tools, policies or storage: the HostBridge answers calls,
 * and may answer SUSPEND to stop the program where it stands (a call awaiting approval).
 *
 * Every host call the program starts is seen through to its outcome before the run ends,
 * whether the program awaited it or not (a call started and forgotten, or started inside a
 * `toJSON` while the result is serialised, still reaches its upstream): the bridge records
 * each outcome, so the history holds every call that was sent.
 */
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime } from "quickjs-emscripten-core";
import { classifyFailure, timeoutMessage, type ProgramErrorCode, type VmError } from "./classify-failure";
import type { SandboxLimits } from "../config";
import { PRELUDE } from "./prelude";
import { discardQuickJS, quickJS, sandboxMemoryFull } from "./quickjs";
import { transpileProgram, wrapProgram } from "./transpile";

export type HostCallKind = "tool" | "search" | "describe";

/** A call the program made: its position in the program, its kind and its JSON payload. */
export interface HostCall {
  seq: number;
  kind: HostCallKind;
  payload: unknown;
}

/** What the host answers: a value, an error the program can catch, or SUSPEND. */
export type HostReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; status?: number; details?: unknown } };

export const SUSPEND = Symbol("suspend");

export interface HostBridge {
  call(call: HostCall): Promise<HostReply | typeof SUSPEND>;
}

export interface LogEntry {
  level: "log" | "info" | "warn" | "error" | "debug";
  message: string;
}

export type { ProgramErrorCode };

export type ProgramOutcome = { logs: LogEntry[] } & (
  | { status: "completed"; resultJson: string | undefined }
  | { status: "failed"; error: { code: string; message: string } }
  | { status: "suspended"; atSeq: number }
);

export interface ProgramInput {
  code: string;
  /** Seeds Math.random; the same seed on replay gives the same numbers. */
  seed: number;
  /** What Date.now() returns inside the program. */
  startTime: number;
  limits: SandboxLimits;
  bridge: HostBridge;
}

class ProgramStop extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface PendingCall {
  seq: number;
  deferred: QuickJSDeferredPromise;
  reply: Promise<HostReply | typeof SUSPEND>;
  /** Set when the reply arrives. */
  outcome?: HostReply | typeof SUSPEND;
}

/**
 * Runs the program to completion, failure or suspension, then waits for every host call it
 * started to settle (each is bounded by its own timeout). Never throws.
 */
export async function runProgram(input: ProgramInput): Promise<ProgramOutcome> {
  const started: Promise<unknown>[] = [];
  const outcome = await runInSandbox(input, started);
  await Promise.allSettled(started);
  return outcome;
}

async function runInSandbox(input: ProgramInput, started: Promise<unknown>[]): Promise<ProgramOutcome> {
  const logs: LogEntry[] = [];
  const transpiled = transpileProgram(input.code);
  const module = await quickJS();
  const runtime = module.newRuntime();
  const deadline = Date.now() + input.limits.wallTimeMs;
  let interrupts = 0;
  let interrupted = false;
  runtime.setMemoryLimit(input.limits.memoryBytes);
  runtime.setMaxStackSize(input.limits.stackBytes);
  runtime.setInterruptHandler(() => {
    interrupts += 1;
    if (interrupts > input.limits.interruptBudget || Date.now() > deadline) {
      interrupted = true;
      return true;
    }
    return false;
  });
  const context = runtime.newContext();
  const pending: PendingCall[] = [];
  // Every handle must be disposed before the runtime, or QuickJS aborts on free.
  const owned: QuickJSHandle[] = [];
  let logBytes = 0;
  let logOverflow = false;
  let seq = 0;

  try {
    const hostLog = context.newFunction("hostLog", (levelHandle, messageHandle) => {
      const message = context.getString(messageHandle);
      logBytes += message.length + 16;
      if (logBytes > input.limits.maxLogBytes) {
        logOverflow = true;
        // Uncatchable from the program's side: the interrupt handler ends it at the next check.
        runtime.setInterruptHandler(() => true);
        throw new Error(`log limit of ${input.limits.maxLogBytes} bytes exceeded`);
      }
      logs.push({ level: asLevel(context.getString(levelHandle)), message });
    });
    const hostCall = context.newFunction("hostCall", (kindHandle, payloadHandle) => {
      const call: HostCall = { seq: seq++, kind: asKind(context.getString(kindHandle)), payload: parseJson(context.getString(payloadHandle)) };
      const deferred = context.newPromise();
      const reply = Promise.resolve()
        .then(() => input.bridge.call(call))
        .catch((error): HostReply => {
          console.error("host call failed", error);
          return { ok: false, error: { code: "internal", message: "Internal error in a host call" } };
        });
      const entry: PendingCall = { seq: call.seq, deferred, reply };
      reply.then((value) => {
        entry.outcome = value;
      });
      pending.push(entry);
      started.push(reply);
      // The library disposes a returned handle; hand it a duplicate and keep ours.
      return deferred.handle.dup();
    });

    const prelude = unwrap(context, context.evalCode(PRELUDE, "prelude.js", { type: "global", strict: true }));
    const seed = context.newNumber(input.seed);
    const startTime = context.newNumber(input.startTime);
    const helpers = unwrap(context, context.callFunction(prelude, context.undefined, hostCall, hostLog, seed, startTime));
    owned.push(helpers);
    for (const handle of [prelude, hostCall, hostLog, seed, startTime]) handle.dispose();

    if (!transpiled.ok) return { status: "failed", error: syntaxError(context, input.code, transpiled.message), logs };
    const evaluated = context.evalCode(transpiled.script, "program.js", { type: "global", strict: true });
    if (evaluated.error) {
      const error = readError(context, helpers, evaluated.error);
      evaluated.error.dispose();
      if (error.name === "SyntaxError") return { status: "failed", error: { code: "syntax_error", message: `${error.name}: ${error.message}` }, logs };
      throw stopFor(error);
    }
    const main = evaluated.value;
    owned.push(main);

    for (;;) {
      drainJobs(runtime, context, helpers, stopFor);
      const state = context.getPromiseState(main);
      if (state.type === "fulfilled") {
        const serialize = context.getProp(helpers, "serialize");
        const serialized = context.callFunction(serialize, context.undefined, state.value);
        serialize.dispose();
        state.value.dispose();
        if (serialized.error) {
          const error = readError(context, helpers, serialized.error);
          serialized.error.dispose();
          const stop = stopFor(error);
          throw stop.code === "runtime_error" ? new ProgramStop("runtime_error", `The result is not JSON-serialisable: ${error.message}`) : stop;
        }
        const resultJson = context.typeof(serialized.value) === "string" ? context.getString(serialized.value) : undefined;
        serialized.value.dispose();
        if (resultJson !== undefined && resultJson.length > input.limits.maxResultBytes) {
          throw new ProgramStop("output_limit", `The result exceeds ${input.limits.maxResultBytes} bytes`);
        }
        return { status: "completed", resultJson, logs };
      }
      if (state.type === "rejected") {
        const error = readError(context, helpers, state.error);
        state.error.dispose();
        return { status: "failed", error: classifyFailure(signalsOf(error), input.limits), logs };
      }

      const next = pending[0];
      if (!next) {
        return {
          status: "failed",
          error: { code: "runtime_error", message: "The program is waiting on a promise that can never settle" },
          logs,
        };
      }
      // Replies are delivered in call order; but a later call waiting for a human stops the
      // run at once, without waiting for the earlier ones (they settle before the run ends).
      await withDeadline(Promise.race([next.reply, anySuspended(pending)]), deadline);
      const suspended = pending.find((call) => call.outcome === SUSPEND);
      if (suspended) return { status: "suspended", atSeq: suspended.seq, logs };
      pending.shift();
      const reply = next.outcome as HostReply;
      const replyHandle = context.newString(JSON.stringify(reply));
      next.deferred.resolve(replyHandle);
      replyHandle.dispose();
      next.deferred.dispose();
    }
  } catch (error) {
    if (error instanceof ProgramStop) return { status: "failed", error: { code: error.code, message: error.message }, logs };
    if (error instanceof DeadlineError) return { status: "failed", error: { code: "timeout", message: timeoutMessage(input.limits) }, logs };
    if (error instanceof WebAssembly.RuntimeError) discardQuickJS();
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      // The host's own stack ran out before QuickJS's limit fired (SANDBOX_STACK_KB too high
      // for this runtime): the program overflowed its stack all the same.
      discardQuickJS();
      return { status: "failed", error: { code: "runtime_error", message: "InternalError: stack overflow" }, logs };
    }
    const id = crypto.randomUUID().slice(0, 8);
    console.error(`sandbox internal error [${id}]`, error);
    return { status: "failed", error: { code: "internal", message: `Internal error [${id}]` }, logs };
  } finally {
    for (const call of pending) if (call.deferred.alive) call.deferred.dispose();
    for (const handle of owned) if (handle.alive) handle.dispose();
    try {
      context.dispose();
      runtime.dispose();
    } catch (error) {
      // A leaked handle makes QuickJS refuse to free the runtime; start over with a clean module.
      console.error("sandbox dispose failed; discarding the QuickJS module", error);
      discardQuickJS();
    }
  }

  function signalsOf(error: VmError) {
    return { error, interrupted, logOverflow, memoryFull: sandboxMemoryFull() };
  }

  function stopFor(error: VmError): ProgramStop {
    const failure = classifyFailure(signalsOf(error), input.limits);
    return new ProgramStop(failure.code, failure.message);
  }
}

class DeadlineError extends Error {}

/** Settles when any of the calls is answered SUSPEND; never otherwise. */
function anySuspended(pending: PendingCall[]): Promise<void> {
  return new Promise((resolve) => {
    for (const call of pending) void call.reply.then((reply) => reply === SUSPEND && resolve());
  });
}

function drainJobs(runtime: QuickJSRuntime, context: QuickJSContext, helpers: QuickJSHandle, stopFor: (error: VmError) => ProgramStop): void {
  const result = runtime.executePendingJobs();
  if (result.error) {
    // A job threw past every handler: only the engine's own stops (interrupt, OOM) get here.
    const error = readError(context, helpers, result.error);
    result.error.dispose();
    throw stopFor(error);
  }
}

function readError(context: QuickJSContext, helpers: QuickJSHandle, errorHandle: QuickJSHandle): VmError {
  const describeFn = context.getProp(helpers, "describeError");
  const described = context.callFunction(describeFn, context.undefined, errorHandle);
  describeFn.dispose();
  if (described.error) {
    // Describing failed (e.g. out of memory): fall back to the engine's own dump.
    described.error.dispose();
    const dumped = safeDump(context, errorHandle);
    return { name: String(dumped?.name ?? "Error"), message: String(dumped?.message ?? dumped ?? "unknown error") };
  }
  const parsed = parseJson(context.typeof(described.value) === "string" ? context.getString(described.value) : "") as Partial<VmError> | undefined;
  described.value.dispose();
  return { name: String(parsed?.name ?? "Error"), message: String(parsed?.message ?? "unknown error"), ...(typeof parsed?.code === "string" ? { code: parsed.code } : {}) };
}

function safeDump(context: QuickJSContext, handle: QuickJSHandle): { name?: unknown; message?: unknown } | undefined {
  try {
    return context.dump(handle);
  } catch {
    return undefined;
  }
}

function syntaxError(context: QuickJSContext, code: string, transpilerMessage: string): { code: string; message: string } {
  // Report the engine's own words when it also rejects the code; else the TypeScript parser's.
  const compiled = context.evalCode(wrapProgram(code), "program.js", { type: "global", strict: true, compileOnly: true });
  if (compiled.error) {
    const dumped = safeDump(context, compiled.error);
    compiled.error.dispose();
    if (dumped?.name === "SyntaxError") return { code: "syntax_error", message: `SyntaxError: ${String(dumped.message)}` };
  } else {
    compiled.value.dispose();
  }
  return { code: "syntax_error", message: `SyntaxError: ${transpilerMessage}` };
}

function unwrap(context: QuickJSContext, result: ReturnType<QuickJSContext["evalCode"]>): QuickJSHandle {
  if (result.error) {
    const dumped = safeDump(context, result.error);
    result.error.dispose();
    throw new Error(`sandbox set-up failed: ${JSON.stringify(dumped)}`);
  }
  return result.value;
}

async function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw new DeadlineError();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError()), remaining);
      }),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asKind(kind: string): HostCallKind {
  return kind === "search" || kind === "describe" ? kind : "tool";
}

function asLevel(level: string): LogEntry["level"] {
  return level === "info" || level === "warn" || level === "error" || level === "debug" ? level : "log";
}
