/**
 * The streaming client: the same guard as guardedFetch (http/https only, every redirect hop
 * checked by follow-redirects.ts, credentials dropped when a hop leaves their origin), but
 * the answer's body is handed over as a stream instead of being read whole. It serves
 * clients that hold a response open, such as the MCP SDK's transports reading Server-Sent
 * Events; `guardedFetchFunction` makes it a drop-in `fetch` for them.
 *
 * Its deadline covers getting the final response's headers only: a stream is allowed to
 * last, and the caller's own signal (or cancelling the body) ends it. The size cap still
 * holds while the stream is read. It does not add credentials, retry, or follow redirects
 * any other way than the guard's (`init.redirect` is ignored). Request bodies are buffered
 * first, so that a 307/308 can send them again.
 */
import { discard, fetchFollowingRedirects, parseOutboundUrl, type FinalResponse } from "./follow-redirects";
import { settingsOf, type OutboundOptions } from "./options";
import { OutboundError } from "./outbound-error";

/** What the guarded streaming client looks like to code that expects `fetch`. */
export type StreamingFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Sends one request through the guard and resolves with the final response as soon as its
 * headers arrive; its body streams. Throws an OutboundError when the guard refuses the
 * request or the headers do not come in time, and the caller's abort reason when the
 * caller's signal fired. A body larger than `maxResponseBytes` errors the stream with an
 * OutboundError `too_large`. The returned Response's `url` is empty when it has a body.
 */
export async function guardedStreamingFetch(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  options: OutboundOptions,
): Promise<Response> {
  const settings = settingsOf(options);
  const source = input instanceof Request ? input : undefined;
  const url = parseOutboundUrl(source ? source.url : String(input));
  const method = (init?.method ?? source?.method ?? "GET").toUpperCase();
  const headers = new Headers(init?.headers ?? source?.headers);
  const body = await bufferBody(init?.body ?? source?.body, headers);
  const callerSignal = init?.signal ?? source?.signal ?? undefined;
  callerSignal?.throwIfAborted();

  // A timer we can stop, not AbortSignal.timeout: the signal given to fetch also governs
  // the body, and the deadline must not cut a stream that started in time.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), settings.timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
  try {
    const final = await fetchFollowingRedirects({ url, method, headers, body }, settings, signal);
    return await capStream(final, settings.maxResponseBytes);
  } catch (error) {
    // The caller's own abort is reported as that abort, as fetch would, not as a timeout.
    if (callerSignal?.aborted) throw callerSignal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A `fetch` bound to one set of guard options, for libraries that take a fetch function.
 * Invalid options throw here, when it is made, not at the first call.
 */
export function guardedFetchFunction(options: OutboundOptions): StreamingFetch {
  settingsOf(options);
  return (input, init) => guardedStreamingFetch(input, init, options);
}

// --- private ---

/** Statuses whose Response may not be built with a body (Fetch standard, "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The body as bytes, setting the Content-Type fetch would have derived (a string gives
 * text/plain, URLSearchParams a form type) when the caller set none.
 */
async function bufferBody(body: BodyInit | null | undefined, headers: Headers): Promise<Uint8Array | undefined> {
  if (body === null || body === undefined) return undefined;
  const wrapped = new Response(body);
  const derived = wrapped.headers.get("content-type");
  if (derived !== null && !headers.has("content-type")) headers.set("content-type", derived);
  return new Uint8Array(await wrapped.arrayBuffer());
}

/** The response with a body that counts as it is read and fails past `maxBytes`. */
async function capStream(final: FinalResponse, maxBytes: number): Promise<Response> {
  const { response, url } = final;
  if (response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
  const tooLarge = () => new OutboundError("too_large", `${url.host} answered with more than ${maxBytes} bytes`);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await discard(response);
    throw tooLarge();
  }

  const reader = response.body.getReader();
  let total = 0;
  // Pull-based, so the upstream is read no faster than the consumer reads: an endless
  // stream nobody reads costs nothing, and one that is read stops at the cap.
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        controller.error(error);
        return;
      }
      if (chunk.done) {
        controller.close();
        return;
      }
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        controller.error(tooLarge());
        return;
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason).catch(() => undefined);
    },
  });
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
