// @ts-check
/**
 * `run` and `resume`: run a program (from a file or stdin) and follow its execution. Logs go
 * to stderr as they arrive and the result to stdout, so `executor run x.ts > out.json`
 * keeps only the result. When a call needs approval the CLI prints the console URL where a
 * person decides (it cannot approve: approval stays a browser act), then keeps calling
 * resume, each call waiting up to 25 s on the server, until the execution finishes or
 * expires. Ctrl-C stops waiting and leaves the execution paused.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { EXIT, UsageError } from "../failures.mjs";
import { clean, formatFailure, json } from "../formatting.mjs";

/** @typedef {import("../command.mjs").Command} Command */
/** @typedef {import("../command.mjs").CommandContext} CommandContext */
/** @typedef {import("../api-client.mjs").ApiClient} ApiClient */

/**
 * What POST /api/executions and .../resume answer.
 * @typedef {object} ExecutionView
 * @property {string} executionId
 * @property {string} status
 * @property {unknown} [result]
 * @property {string[]} logs
 * @property {{ code: string, message: string }} [error]
 * @property {{ callId: number, tool: string, args: unknown, url: string, expiresAt: string }} [approval]
 */

/** The server's longest resume wait (the API caps `waitSeconds` at 25). */
const RESUME_WAIT_SECONDS = 25;
/** When another client is running the resumed program, how long to wait before asking again. */
const RUNNING_POLL_MS = 1_000;
/** How much of a paused call's arguments to print. */
const MAX_ARGS_CHARS = 500;

const NO_WAIT = {
  "no-wait": { type: /** @type {const} */ ("boolean"), description: "Return at the first pause (exit 3) instead of waiting for the decision" },
};

/** @type {Command} */
export const run = {
  name: "run",
  args: "<file.ts | ->",
  summary: "Run a program (JavaScript or TypeScript) from a file or stdin",
  help: `Prints the program's logs (stderr), then its result as JSON (stdout). When a call needs
approval it prints "Approval needed: <tool> — open <url>" and waits for a person to decide
there, then continues. Ctrl-C stops waiting; the execution stays paused (exit 3).`,
  positionals: [1, 1],
  options: NO_WAIT,
  async run(context) {
    const code = await readProgram(context.positionals[0] ?? "");
    const client = await context.connect();
    const view = await client.post("/api/executions", { code });
    return follow(context, client, view, context.options["no-wait"] !== true);
  },
};

/** @type {Command} */
export const resume = {
  name: "resume",
  args: "<id>",
  summary: "Continue a paused execution, waiting for its decision",
  help: "Prints the execution's logs and result like `run`; an execution that already finished is shown as it ended.",
  positionals: [1, 1],
  options: NO_WAIT,
  async run(context) {
    const id = context.positionals[0] ?? "";
    const client = await context.connect();
    const view = await client.post(`/api/executions/${encodeURIComponent(id)}/resume`, { waitSeconds: 0 });
    return follow(context, client, view, context.options["no-wait"] !== true);
  },
};

/**
 * Prints what the execution did and, while it is paused and `wait` is true, resumes it
 * until it ends. Answers the exit code.
 * @param {CommandContext} context
 * @param {ApiClient} client
 * @param {ExecutionView} first
 * @param {boolean} wait
 * @returns {Promise<number>}
 */
async function follow(context, client, first, wait) {
  const id = first.executionId;
  let view = first;
  let logsShown = 0;
  /** @type {number | undefined} */
  let announced;
  let waiting = false;
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  try {
    for (;;) {
      // A resumed run replays the program from the start, so its logs repeat the earlier ones.
      if (!context.json) {
        for (const line of view.logs.slice(logsShown)) context.note(clean(line));
        logsShown = Math.max(logsShown, view.logs.length);
      }
      if (view.status === "paused" && view.approval && view.approval.callId !== announced) {
        announced = view.approval.callId;
        context.note(`Approval needed: ${view.approval.tool} — open ${view.approval.url}`);
        context.note(`  arguments: ${truncate(clean(JSON.stringify(view.approval.args) ?? ""), MAX_ARGS_CHARS)}`);
      }
      if (view.status !== "paused" && view.status !== "running") break;
      if (!wait) {
        context.note(`Execution ${id} is ${view.status}. Continue with: executor resume ${id}`);
        if (context.json) context.print(json(view));
        return EXIT.paused;
      }
      if (!waiting) {
        waiting = true;
        process.once("SIGINT", onInterrupt);
        context.note("Waiting for the decision (Ctrl-C stops waiting; the execution stays paused)…");
      }
      try {
        // `running`: someone else (the console, after approving) is running it on right now.
        if (view.status === "running") await sleep(RUNNING_POLL_MS, undefined, { signal: stop.signal });
        view = await client.post(`/api/executions/${encodeURIComponent(id)}/resume`, { waitSeconds: RESUME_WAIT_SECONDS }, { signal: stop.signal });
      } catch (error) {
        if (!stop.signal.aborted) throw error;
        context.note(`Stopped waiting. Execution ${id} stays paused; continue with: executor resume ${id}`);
        if (context.json) context.print(json(view));
        return EXIT.paused;
      }
    }
  } finally {
    process.off("SIGINT", onInterrupt);
  }
  return finish(context, view);
}

/**
 * Prints how a finished execution ended and answers the exit code.
 * @param {CommandContext} context
 * @param {ExecutionView} view
 * @returns {number}
 */
function finish(context, view) {
  if (context.json) context.print(json(view));
  if (view.status === "completed") {
    if (!context.json && view.result !== undefined) context.print(json(view.result));
    return EXIT.ok;
  }
  const id = view.executionId;
  if (view.status === "failed" && view.error) context.note(formatFailure(view.error.code, view.error.message));
  else if (view.status === "expired") context.note(formatFailure("expired", `Execution ${id} expired before anyone decided`));
  else if (view.status === "cancelled") context.note(formatFailure("cancelled", `Execution ${id} was cancelled`));
  else context.note(formatFailure(view.status, `Execution ${id} ended ${view.status}`));
  return EXIT.failed;
}

/**
 * The program's text from a file, or from stdin for `-`.
 * @param {string} source
 * @returns {Promise<string>}
 */
async function readProgram(source) {
  let code;
  if (source === "-") {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(/** @type {Buffer} */ (chunk));
    code = Buffer.concat(chunks).toString("utf8");
  } else {
    try {
      code = readFileSync(source, "utf8");
    } catch (error) {
      throw new UsageError(`Cannot read ${source}: ${/** @type {NodeJS.ErrnoException} */ (error).code ?? String(error)}`);
    }
  }
  if (code.trim() === "") throw new UsageError(`The program in ${source === "-" ? "stdin" : source} is empty`);
  return code;
}

/**
 * @param {string} text
 * @param {number} max
 */
function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
