/**
 * The one error type of the Worker. Anything thrown that is not an ApiError
 * becomes `internal` with an id; its detail goes to the log, never the wire.
 */

/** Every error code the public contract names, with its HTTP status. */
export const ERROR_STATUS = {
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

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error meant for the caller: its code, message and details are sent as they are. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The JSON body of an error, exactly as the contract shapes it. */
export function errorBody(error: ApiError): { error: { code: ErrorCode; message: string; details?: unknown } } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/**
 * Turns anything thrown into an ApiError. Unknown errors are logged with a fresh id
 * and replaced by an opaque `internal` error carrying only that id.
 */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown;
  const id = crypto.randomUUID().slice(0, 8);
  console.error(`internal error [${id}]`, thrown instanceof Error ? (thrown.stack ?? thrown.message) : thrown);
  return new ApiError("internal", `Internal error [${id}]`);
}
