/**
 * How an error looks to a program: a failed tool call with a code the sandbox API names
 * (docs/agents.md). API codes that a host call can raise (a bad argument, a built-in tool
 * refusing a non-admin) become the tool code that fits, with the API's status.
 * Exhaustive: a new code does not compile until it is placed here.
 */
import { API_ERROR_STATUS, isToolErrorCode, type ErrorCode, type ToolErrorCode } from "./codes";
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
  approval_stale: "approval_stale",
  invalid_request: "invalid_arguments",
  // Other API refusals (a built-in tool refusing a non-admin, an id that names nothing) reach
  // the program as upstream errors carrying the HTTP status the API would have answered.
  not_found: "upstream_error",
  conflict: "upstream_error",
  payload_too_large: "upstream_error",
  method_not_allowed: "upstream_error",
  forbidden: "upstream_error",
  unauthorized: "upstream_error",
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
  const status = error.upstreamStatus ?? (isToolErrorCode(error.code) || error.code === "internal" ? undefined : API_ERROR_STATUS[error.code]);
  return {
    code: TOOL_CODE[error.code],
    message: error.message,
    ...(status === undefined ? {} : { status }),
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}
