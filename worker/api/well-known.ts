/**
 * /.well-known/*: always JSON, never HTML. OAuth discovery belongs to Cloudflare Access
 * (Managed OAuth answers it at the edge); a probe that reaches the Worker means Managed
 * OAuth is off, and the answer says so instead of pointing at a document we do not serve.
 */
import { ExecutorError } from "../errors";
import { errorResponse } from "../http";

const OAUTH_DISCOVERY = ["/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server"];

/** Answers any /.well-known request with a JSON 404. */
export function handleWellKnown(request: Request): Response {
  const { pathname } = new URL(request.url);
  if (OAUTH_DISCOVERY.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) {
    return errorResponse(
      new ExecutorError(
        "not_found",
        "OAuth discovery is answered by Cloudflare Access: enable Managed OAuth on the Access application in front of this Worker",
      ),
    );
  }
  return errorResponse(new ExecutorError("not_found", "No such document"));
}
