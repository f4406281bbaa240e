/**
 * Every error code the Worker can produce, in one union: the HTTP API's codes and the codes a
 * tool call fails with inside the sandbox (docs/api.md, docs/agents.md). Data only.
 */

/** Codes the HTTP API answers with, each with its status. */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  invalid_source: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  expired: 410,
  payload_too_large: 413,
  internal: 500,
  upstream_unreachable: 502,
  not_configured: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** Codes a failed tool call carries in the program (`error.code`). */
export const TOOL_ERROR_CODES = [
  "tool_not_found",
  "invalid_arguments",
  "blocked",
  "declined",
  "no_connection",
  "connection_rejected",
  "oauth_reauth_required",
  "upstream_error",
  "upstream_timeout",
  "interrupted",
  // An approved call whose connection or definition changed since the decision: not sent.
  "approval_stale",
] as const;

export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

/** The one union every ExecutorError's code is drawn from. */
export type ErrorCode = ApiErrorCode | ToolErrorCode;

const TOOL_CODE_SET: ReadonlySet<string> = new Set(TOOL_ERROR_CODES);

/** True when `code` is one a program may see on a failed tool call. */
export function isToolErrorCode(code: unknown): code is ToolErrorCode {
  return typeof code === "string" && TOOL_CODE_SET.has(code);
}
