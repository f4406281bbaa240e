/**
 * Cross-site refusal, the only CSRF defence (docs/security.md).
 * Access attaches a valid assertion to a browser's cross-site request too, because it rides
 * on the CF_Authorization cookie, so an authenticated request is not proof of intent.
 * Agents and scripts send no Origin and are unaffected.
 */
import { ExecutorError } from "../errors";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Throws `forbidden` for a state-changing request that comes from another site. */
export function refuseCrossSite(request: Request): void {
  if (!STATE_CHANGING.has(request.method)) return;
  const origin = request.headers.get("origin");
  const ownOrigin = new URL(request.url).origin;
  if (origin !== null && origin !== ownOrigin) {
    throw new ExecutorError("forbidden", "Cross-site request refused: Origin is not this deployment");
  }
  if (request.headers.get("sec-fetch-site") === "cross-site") {
    throw new ExecutorError("forbidden", "Cross-site request refused");
  }
}
