/**
 * The one error type of the Worker. Code anywhere throws an ExecutorError with a code from
 * the one union (codes.ts); only the edges turn it into something else: an HTTP or JSON-RPC
 * answer (to-http.ts) or a failed tool call inside the sandbox (to-tool.ts). Anything else
 * thrown is an internal error: logged with an id, answered with only that id.
 */
import type { ErrorCode } from "./codes";

export interface ExecutorErrorOptions {
  /** Sent to the caller as `details` (field problems, an upstream's answer, ...). */
  details?: unknown;
  /** The upstream's HTTP status, when an upstream answered. */
  upstreamStatus?: number;
  /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
  headers?: Record<string, string>;
}

/** An error meant for the caller: its code, message and details are shown as they are. */
export class ExecutorError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly upstreamStatus?: number;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: ExecutorErrorOptions = {}) {
    super(message);
    this.name = "ExecutorError";
    this.code = code;
    this.details = options.details;
    this.upstreamStatus = options.upstreamStatus;
    this.headers = options.headers;
  }
}

/** A field-level problem, as `details` lists them for `invalid_request`. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** `invalid_request` naming each bad field. */
export function invalidRequest(problems: FieldProblem[]): ExecutorError {
  return new ExecutorError("invalid_request", problems.map((p) => `${p.field}: ${p.problem}`).join("; "), { details: problems });
}

/**
 * Turns anything thrown into an ExecutorError. Unknown errors are logged with a fresh id and
 * replaced by an opaque `internal` error carrying only that id: their text (SQL, stack,
 * upstream bodies) never reaches a caller.
 */
export function toExecutorError(thrown: unknown): ExecutorError {
  if (thrown instanceof ExecutorError) return thrown;
  const id = crypto.randomUUID().slice(0, 8);
  console.error(`internal error [${id}]`, describeThrown(thrown));
  return new ExecutorError("internal", `Internal error [${id}]`);
}

/** What the log gets: the stack and every cause (a failed query wraps the database's own error). */
function describeThrown(thrown: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = thrown, depth = 0; current !== undefined && depth < 5; depth += 1) {
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\ncaused by: ");
}
