/**
 * The one error the outbound client throws. Its message names the host only, never a path
 * or query, which may carry an API key. It does not describe HTTP error statuses: an
 * upstream's 4xx or 5xx is a response, not an OutboundError.
 */

/** Why an outbound call was refused or failed. */
export type OutboundFailure =
  | "invalid_url"
  | "blocked_address"
  | "too_many_redirects"
  | "redirect_refused"
  | "timeout"
  | "too_large"
  | "unreachable";

/** Why an outbound call was refused or failed. Its message never holds a path or query. */
export class OutboundError extends Error {
  readonly reason: OutboundFailure;

  constructor(reason: OutboundFailure, message: string) {
    super(message);
    this.name = "OutboundError";
    this.reason = reason;
  }
}
