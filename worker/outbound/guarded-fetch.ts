/**
 * The buffered client, for every outbound call whose answer is read whole (specs, APIs,
 * token endpoints, GraphQL). It refuses addresses address-check.ts refuses, follows
 * redirects through follow-redirects.ts so that each hop is checked again and loses the
 * connection's credentials when it leaves their origin, and bounds every exchange in time
 * and in size.
 *
 * It does not add credentials (the caller does, and names them in `credentials`), does not
 * redact secrets from results, does not retry and does not stream (guarded-streaming-fetch.ts
 * does). Error messages name the host only: paths and queries may carry API keys.
 */
import { discard, failureOf, fetchFollowingRedirects, parseOutboundUrl } from "./follow-redirects";
import { settingsOf, type OutboundOptions } from "./options";
import { OutboundError } from "./outbound-error";

/** One outbound request, as the caller means it before any redirect. */
export interface OutboundRequest {
  url: string;
  /** Defaults to GET. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
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

/** Sends one request through the guard and reads the answer whole. */
export async function guardedFetch(request: OutboundRequest, options: OutboundOptions): Promise<OutboundResponse> {
  const settings = settingsOf(options);
  const url = parseOutboundUrl(request.url);
  const method = (request.method ?? "GET").toUpperCase();

  // One deadline for the whole exchange, so a chain of slow redirects or a trickling
  // body cannot hold the Worker past it.
  const signal = AbortSignal.timeout(settings.timeoutMs);
  const final = await fetchFollowingRedirects(
    { url, method, headers: new Headers(request.headers), body: request.body },
    settings,
    signal,
  );
  const body = await readCapped(final.response, final.url, settings.maxResponseBytes, signal);
  const text = (): string => utf8.decode(body);
  return {
    status: final.response.status,
    headers: final.response.headers,
    url: final.url.href,
    body,
    text,
    json: () => JSON.parse(text()) as unknown,
  };
}

// --- private ---

const utf8 = new TextDecoder("utf-8");

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
