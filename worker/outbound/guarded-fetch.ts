/**
 * The one HTTP client for every outbound call of the Worker (specs, APIs, token endpoints,
 * GraphQL, MCP). It refuses addresses address-check.ts refuses, follows redirects by hand
 * so that each hop is checked again and loses the connection's credentials when it leaves
 * their origin, and bounds every exchange in time and in size.
 *
 * It does not add credentials (the caller does, and names them in `credentials`), does not
 * redact secrets from results, and does not retry. Error messages name the host only:
 * paths and queries may carry API keys.
 */
import { checkAddress } from "./address-check";

/** Default deadline for a whole exchange, redirects and body included. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default cap on a response body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** Default number of redirects followed (the contract's limit). */
export const DEFAULT_MAX_REDIRECTS = 5;

/** Why an outbound call was refused or failed. */
export type OutboundFailure =
  | "invalid_url"
  | "blocked_address"
  | "too_many_redirects"
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

/** One outbound request, as the caller means it before any redirect. */
export interface OutboundRequest {
  url: string;
  /** Defaults to GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** The guard's settings for one call. */
export interface OutboundOptions {
  /** ALLOW_LOCAL_NETWORK: permits private, loopback and link-local targets (never metadata). */
  allowLocalNetwork: boolean;
  /** Deadline for the whole exchange, redirects and reading the body included. */
  timeoutMs?: number;
  /** Larger bodies fail with `too_large`; reading stops and the stream is cancelled. */
  maxResponseBytes?: number;
  /** Redirects followed before failing with `too_many_redirects`. */
  maxRedirects?: number;
  /**
   * What the connection added: dropped when a redirect leaves `origin`.
   * (Authorization and Cookie are always dropped on a cross-origin hop too.)
   */
  credentials?: { origin: string; headers: string[]; queryParams: string[] };
  /** Injectable for tests; defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

/** A response read in full, within the size cap. */
export interface OutboundResponse {
  status: number;
  headers: Headers;
  /** The final URL after redirects. */
  url: string;
  body: Uint8Array;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON; throws a SyntaxError when it is not JSON. */
  json(): unknown;
}

/** The one HTTP client for every outbound call of the Worker. */
export async function guardedFetch(request: OutboundRequest, options: OutboundOptions): Promise<OutboundResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  requireCount("timeoutMs", timeoutMs, 1);
  requireCount("maxResponseBytes", maxResponseBytes, 0);
  requireCount("maxRedirects", maxRedirects, 0);
  const credentialOrigin = options.credentials ? originOf(options.credentials.origin) : undefined;
  const fetchOnce = options.fetch ?? globalThis.fetch;

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    // The text is not echoed back: a malformed URL may still hold an API key.
    throw new OutboundError("invalid_url", "the URL could not be parsed");
  }
  let method = (request.method ?? "GET").toUpperCase();
  let body = request.body;
  const headers = new Headers(request.headers);
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    throw new TypeError(`a ${method} request cannot have a body`);
  }

  // One deadline for the whole exchange, so a chain of slow redirects or a trickling
  // body cannot hold the Worker past it.
  const signal = AbortSignal.timeout(timeoutMs);

  for (let redirects = 0; ; redirects++) {
    const problem = checkAddress(url, { allowLocalNetwork: options.allowLocalNetwork });
    if (problem !== null) throw new OutboundError(problem.reason, problem.message);

    // Built before the call so that a malformed header fails as itself, not as unreachable.
    // (The cast: DOM typings want an ArrayBuffer-backed view; a shared one fails right here.)
    const init = { method, headers, body: body as BodyInit | undefined, redirect: "manual", signal } as const;
    const outgoing = new Request(url.href, init);
    let response: Response;
    try {
      response = await fetchOnce(outgoing);
    } catch {
      throw failureOf(signal, url);
    }

    const location = isRedirect(response.status) ? response.headers.get("location") : null;
    // A redirect without a Location has nowhere to go: it is the answer.
    if (location === null) return readResponse(response, url, maxResponseBytes, signal);
    await discard(response);
    if (redirects >= maxRedirects) {
      throw new OutboundError("too_many_redirects", `more than ${maxRedirects} redirects, the last from ${url.host}`);
    }

    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new OutboundError("invalid_url", `${url.host} redirected to a URL that could not be parsed`);
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
    // The connection's own secrets go only to its integration's origin (contract,
    // "Outbound calls and credentials"); an upstream that echoes our query string into
    // its Location would otherwise hand the API key to whoever it redirects to.
    if (options.credentials && next.origin !== credentialOrigin) {
      for (const name of options.credentials.headers) headers.delete(name);
      for (const name of options.credentials.queryParams) {
        // Only touched when present: deleting re-serialises the whole query.
        if (next.searchParams.has(name)) next.searchParams.delete(name);
      }
    }
    url = next;
  }
}

// --- private ---

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a request body; meaningless once the body is dropped. */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/** Credentials a client carries without the connection naming them. */
const AMBIENT_CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

const utf8 = new TextDecoder("utf-8");

function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

function requireCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new TypeError(`${name} must be an integer of at least ${minimum}, got ${value}`);
  }
}

function originOf(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    throw new TypeError("credentials.origin is not a URL origin");
  }
}

/** A timeout when the deadline passed, else the host could not be reached. */
function failureOf(signal: AbortSignal, url: URL): OutboundError {
  if (signal.aborted) return new OutboundError("timeout", `${url.host} did not answer in time`);
  // The host only: the full URL's query may carry an API key, and the underlying error
  // is left out because we cannot vouch for what it quotes.
  return new OutboundError("unreachable", `could not reach ${url.host}`);
}

async function discard(response: Response): Promise<void> {
  // Cancelling frees the connection; a body already gone is not our problem.
  await response.body?.cancel().catch(() => undefined);
}

async function readResponse(
  response: Response,
  url: URL,
  maxBytes: number,
  signal: AbortSignal,
): Promise<OutboundResponse> {
  const body = await readCapped(response, url, maxBytes, signal);
  const text = (): string => utf8.decode(body);
  return {
    status: response.status,
    headers: response.headers,
    url: url.href,
    body,
    text,
    json: () => JSON.parse(text()) as unknown,
  };
}

/** Reads the body while counting, so an oversized one is never held in memory whole. */
async function readCapped(response: Response, url: URL, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const tooLarge = () => new OutboundError("too_large", `${url.host} answered with more than ${maxBytes} bytes`);
  if (response.body === null) return new Uint8Array(0);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await discard(response);
    throw tooLarge();
  }

  const reader = response.body.getReader();
  // Not every runtime errors a body stream when its request's signal fires; cancelling
  // on abort makes the deadline hold while reading too.
  const onAbort = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw failureOf(signal, url);
      }
      // A cancelled stream ends quietly; the deadline, not the upstream, ended it.
      if (signal.aborted) throw failureOf(signal, url);
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }

  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
