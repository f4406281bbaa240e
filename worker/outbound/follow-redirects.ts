/**
 * The guard's one redirect loop, shared by the buffered and the streaming client: check the
 * address, send one hop with `redirect: "manual"`, and when the answer is a redirect, decide
 * what the next hop may carry. Each hop is checked again, because a public upstream can
 * redirect to an internal one; the connection's credentials are dropped when a hop leaves
 * their origin and stay dropped.
 *
 * It does not read response bodies (beyond discarding a redirect's), set deadlines (the
 * caller's signal carries them) or add credentials.
 */
import { checkAddress } from "./address-check";
import type { OutboundSettings } from "./options";
import { OutboundError } from "./outbound-error";

/** One request as the caller means it before any redirect, its URL already parsed. */
export interface HopRequest {
  url: URL;
  /** Upper-case method. */
  method: string;
  /** Mutated as hops drop headers; the caller hands over its own copy. */
  headers: Headers;
  /** Bytes or text, so that a 307/308 can send it again. */
  body?: string | Uint8Array;
}

/** The final, non-redirect response (its body unread) and the URL that gave it. */
export interface FinalResponse {
  response: Response;
  url: URL;
}

/**
 * Sends `request`, following at most `settings.maxRedirects` redirects by hand. Throws an
 * OutboundError for a refused address, too many redirects or a failed hop (`timeout` when
 * `signal` had fired, else `unreachable`).
 */
export async function fetchFollowingRedirects(
  request: HopRequest,
  settings: OutboundSettings,
  signal: AbortSignal,
): Promise<FinalResponse> {
  let { url, method, body } = request;
  const headers = request.headers;
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    throw new TypeError(`a ${method} request cannot have a body`);
  }

  for (let redirects = 0; ; redirects++) {
    const problem = checkAddress(url, { allowLocalNetwork: settings.allowLocalNetwork });
    if (problem !== null) throw new OutboundError(problem.reason, problem.message);

    // Built before the call so that a malformed header fails as itself, not as unreachable.
    // (The cast: DOM typings want an ArrayBuffer-backed view; a shared one fails right here.)
    const init = { method, headers, body: body as BodyInit | undefined, redirect: "manual", signal } as const;
    const outgoing = new Request(url.href, init);
    let response: Response;
    try {
      response = await settings.fetch(outgoing);
    } catch {
      throw failureOf(signal, url);
    }

    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    // A redirect without a Location has nowhere to go: it is the answer.
    if (location === null) return { response, url };
    await discard(response);
    if (redirects >= settings.maxRedirects) {
      throw new OutboundError("too_many_redirects", `more than ${settings.maxRedirects} redirects, the last from ${url.host}`);
    }

    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new OutboundError("invalid_url", `${url.host} redirected to a URL that could not be parsed`);
    }

    // 307/308 re-send the method and body; a body that is a credential must not travel to
    // another origin that way (RFC 6749 §10.4: a token request goes to the token endpoint only).
    if (settings.secretBody && body !== undefined && response.status >= 307 && next.origin !== url.origin) {
      throw new OutboundError("redirect_refused", `${url.host} redirected a request carrying credentials to another origin (${next.host})`);
    }
    // 301/302/303 after anything but GET/HEAD become a GET without a body (Fetch
    // standard, HTTP redirect fetch step 12); 307/308 resend the same method and body.
    if (response.status <= 303 && method !== "GET" && method !== "HEAD") {
      method = "GET";
      body = undefined;
      for (const name of BODY_HEADERS) headers.delete(name);
    }

    // Another origin must not receive what was meant for this one: the ambient
    // credentials always, and once dropped they stay dropped for the rest of the chain.
    if (next.origin !== url.origin) {
      for (const name of AMBIENT_CREDENTIAL_HEADERS) headers.delete(name);
    }
    // The connection's own secrets go only to its integration's origin (docs/security.md,
    // the outbound guard); an upstream that echoes our query string into
    // its Location would otherwise hand the API key to whoever it redirects to.
    if (settings.credentials && next.origin !== settings.credentials.origin) {
      for (const name of settings.credentials.headers) headers.delete(name);
      for (const name of settings.credentials.queryParams) {
        // Only touched when present: deleting re-serialises the whole query.
        if (next.searchParams.has(name)) next.searchParams.delete(name);
      }
    }
    url = next;
  }
}

/** Parses the caller's URL; the text is not echoed back, since a malformed URL may still hold an API key. */
export function parseOutboundUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new OutboundError("invalid_url", "the URL could not be parsed");
  }
}

/** A timeout when the deadline passed, else the host could not be reached. */
export function failureOf(signal: AbortSignal, url: URL): OutboundError {
  if (signal.aborted) return new OutboundError("timeout", `${url.host} did not answer in time`);
  // The host only: the full URL's query may carry an API key, and the underlying error
  // is left out because we cannot vouch for what it quotes.
  return new OutboundError("unreachable", `could not reach ${url.host}`);
}

/** Cancels a body we will not read, which frees the connection. */
export async function discard(response: Response): Promise<void> {
  // A body already gone is not our problem.
  await response.body?.cancel().catch(() => undefined);
}

// --- private ---

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a request body; meaningless once the body is dropped. */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/** Credentials a client carries without the connection naming them. */
const AMBIENT_CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
