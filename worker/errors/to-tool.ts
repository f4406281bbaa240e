/**
 * How an error looks to a program: a failed tool call with a code the sandbox API names
 * (docs/agents.md). API codes that a host call can raise (a built-in tool refusing a
 * non-admin, a bad argument) become the tool code that tells the program what to do.
 * Exhaustive: a new code does not compile until it is placed here.
 */
import type { ErrorCode, ToolErrorCode } from "./codes";
import { toExecutorError } from "./executor-error";

const TOOL_CODE: Record<ErrorCode, ToolErrorCode> = {
  tool_not_found: "tool_not_found",
  invalid_arguments: "invalid_arguments",
  blocked: "blocked",
  declined: "declined",
  no_connection: "no_connection",
  connection_rejected: "connection_rejected",
  oauth_reauth_required: "oauth_reauth_required",
  upstream_error: "upstream_error",
  upstream_timeout: "upstream_timeout",
  interrupted: "interrupted",
  invalid_request: "invalid_arguments",
  // The argument names nothing that exists (e.g. executor.policies.delete of an unknown id).
  not_found: "invalid_arguments",
  conflict: "invalid_arguments",
  payload_too_large: "invalid_arguments",
  method_not_allowed: "invalid_arguments",
  // Not permitted for this caller: as final as a policy block.
  forbidden: "blocked",
  unauthorized: "blocked",
  invalid_source: "upstream_error",
  expired: "upstream_error",
  upstream_unreachable: "upstream_error",
  not_configured: "upstream_error",
  internal: "upstream_error",
};

/** A failed tool call as the program receives it. */
export interface ToolFailure {
  code: ToolErrorCode;
  message: string;
  status?: number;
  details?: unknown;
}

/** The failure a program sees for anything a host call threw (internal text stays in the log). */
export function toolFailure(thrown: unknown): ToolFailure {
  const error = toExecutorError(thrown);
  return {
    code: TOOL_CODE[error.code],
    message: error.message,
    ...(error.upstreamStatus === undefined ? {} : { status: error.upstreamStatus }),
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}
