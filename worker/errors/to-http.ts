/**
 * How an error looks on the wire: its HTTP status and the body of docs/api.md
 * `{"error":{"code","message","details?"}}`. Tool codes that reach the HTTP API (a connection
 * test, an integration refresh) answer as the API code that fits them. Exhaustive: a new
 * code does not compile until it is placed here.
 */
import { API_ERROR_STATUS, type ApiErrorCode, type ErrorCode } from "./codes";
import { toExecutorError } from "./executor-error";

const HTTP_CODE: Record<ErrorCode, ApiErrorCode> = {
  invalid_request: "invalid_request",
  invalid_source: "invalid_source",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  method_not_allowed: "method_not_allowed",
  conflict: "conflict",
  expired: "expired",
  payload_too_large: "payload_too_large",
  internal: "internal",
  upstream_unreachable: "upstream_unreachable",
  not_configured: "not_configured",
  tool_not_found: "not_found",
  invalid_arguments: "invalid_request",
  blocked: "forbidden",
  declined: "forbidden",
  no_connection: "invalid_request",
  connection_rejected: "invalid_request",
  oauth_reauth_required: "invalid_request",
  upstream_error: "upstream_unreachable",
  upstream_timeout: "upstream_unreachable",
  interrupted: "internal",
  approval_stale: "conflict",
};

/** The error body of docs/api.md. */
export interface HttpErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

/** Status, headers and body for anything thrown. */
export function httpError(thrown: unknown): { status: number; headers: Record<string, string>; body: HttpErrorBody } {
  const error = toExecutorError(thrown);
  const code = HTTP_CODE[error.code];
  return {
    status: API_ERROR_STATUS[code],
    headers: error.headers ?? {},
    body: { error: { code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } },
  };
}
