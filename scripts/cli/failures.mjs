// @ts-check
/**
 * The CLI's exit codes and its two error types: a usage error (exit 2) and a failure with
 * the API's error code (exit 1). The entry point is the only place that turns them into
 * output; commands throw them and never call `process.exit`.
 */

/** Exit codes, as `executor --help` documents them. */
export const EXIT = Object.freeze({
  /** Done; for `run`/`resume`, the execution completed. */
  ok: 0,
  /** The execution failed, was cancelled or expired, or the API (or Access) refused. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The execution is still paused (`--no-wait`, or Ctrl-C while waiting). */
  paused: 3,
});

/** A failure reported as `error <code>: <message>`; `code` is the API's when it has one. */
export class CliFailure extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ details?: unknown, exitCode?: number }} [options]
   */
  constructor(code, message, options = {}) {
    super(message);
    this.name = "CliFailure";
    /** @readonly */
    this.code = code;
    /** @readonly */
    this.details = options.details;
    /** @readonly */
    this.exitCode = options.exitCode ?? EXIT.failed;
  }
}

/** A wrong command line: exit 2, with a pointer to the help. */
export class UsageError extends CliFailure {
  /** @param {string} message */
  constructor(message) {
    super("usage", message, { exitCode: EXIT.usage });
    this.name = "UsageError";
  }
}
