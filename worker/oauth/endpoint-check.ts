/**
 * OAuth endpoints must use TLS (RFC 6749 §3.1, §3.2): the authorization URL a person opens and
 * the token endpoint that receives codes, refresh tokens and client secrets. An endpoint named
 * by a spec or found by discovery is upstream data, so it is checked before it is used or
 * stored. Plain http is accepted only for a loopback host while ALLOW_LOCAL_NETWORK is on
 * (local development and tests). Pure.
 */
import { isLoopbackHost } from "../config";
import { ExecutorError, type ErrorCode } from "../errors";

/**
 * The endpoint as an absolute URL, or an error with `code` (`invalid_request` while setting a
 * connection up; a call gets `no_connection`) saying why it cannot be used.
 */
export function requireSecureEndpoint(url: string, what: string, allowLocalNetwork: boolean, code: ErrorCode = "invalid_request"): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExecutorError(code, `The OAuth ${what} is not a URL`);
  }
  if (parsed.protocol === "https:") return parsed.href;
  if (parsed.protocol === "http:" && allowLocalNetwork && isLoopbackHost(parsed.hostname)) return parsed.href;
  throw new ExecutorError(code, `The OAuth ${what} must be https (it is ${parsed.protocol}//${parsed.host}); plain http is allowed only for a loopback host with ALLOW_LOCAL_NETWORK=true`);
}
