/**
 * One short exchange with an upstream MCP server: connect, let the caller do one thing,
 * close. Streamable HTTP is tried first; a server that answers its POST with a 4xx (other
 * than 401/403) predates it, so the same URL is then opened as an SSE endpoint, as the MCP
 * spec's backwards-compatibility section describes. Every request goes through the
 * Worker's guarded streaming client, with the endpoint's headers bound to its origin, and
 * the whole exchange is bounded by one deadline.
 *
 * Failures come out as McpSourceError, classified from what was seen on the wire (a guard
 * refusal, a 401/403, a timeout) rather than from SDK message texts. It follows no OAuth
 * flow (credentials arrive as headers) and does not convert tools or results (tools.ts and
 * content.ts do).
 *
 * Tool calls may reuse a session (`reuse`): a streamable HTTP session stays open in this
 * isolate between calls, per server URL and credentials, so a call costs one POST instead of
 * initialize + initialized + call + DELETE. Such a session never opens the optional GET
 * stream for server-initiated messages (it would live in the request that opened it, and
 * workerd forbids using one request's I/O from another); each call's POST and its answer
 * belong to the request that makes it. A session the server no longer knows (404, or 400 on
 * the session) is dropped and the call tried once more on a new one. SSE servers are not
 * reused: their transport is a long-lived stream.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import { version } from "../../../package.json";
import { guardedFetchFunction, OutboundError, type StreamingFetch } from "../../outbound";
import { McpSourceError, McpToolError } from "./errors";
import { checkMcpUrl, type McpEndpoint } from "./mcp-url";
import { plainText } from "./plain-text";

/** The transport that worked. */
export type McpTransportKind = "streamable-http" | "sse";

/** A connected client, for the duration of one `withMcpSession` callback. */
export interface McpSession {
  client: Client;
  transport: McpTransportKind;
  /** Options for each request: the exchange's deadline as a signal and as the time left. */
  requestOptions(): RequestOptions;
  /** The McpSourceError an error from a request amounts to (timeout, guard, 401/403), or null when it is none of those. */
  sourceFailure(error: unknown): McpSourceError | null;
}

/** Budget for connecting and listing tools. */
export const LIST_TIMEOUT_MS = 30_000;
/** Budget for connecting and calling one tool. */
export const CALL_TIMEOUT_MS = 60_000;

/**
 * Connects to `endpoint`, runs `use`, and closes, all within `budgetMs`. Throws
 * McpSourceError when the server cannot be used; an McpSourceError or McpToolError that
 * `use` throws passes through, and anything else `use` throws becomes a `protocol` error.
 */
export async function withMcpSession<T>(
  endpoint: McpEndpoint,
  budgetMs: number,
  use: (session: McpSession) => Promise<T>,
  options: { reuse?: boolean } = {},
): Promise<T> {
  checkMcpUrl(endpoint.url);
  const url = new URL(endpoint.url.trim());
  const deadline = new AbortController();
  const deadlineAt = Date.now() + budgetMs;
  const timer = setTimeout(() => deadline.abort(), budgetMs);
  const bounds: Deadline = { signal: deadline.signal, deadlineAt, budgetMs };
  const key = options.reuse ? poolKey(url, endpoint) : null;
  try {
    for (let tries = 0; ; tries += 1) {
      // The retry after a refused session opens a new one; it does not try another idle one.
      const reused = key === null || tries > 0 ? undefined : takeIdle(key);
      const open = reused ?? (await connect(endpoint, url, bounds, key !== null));
      open.renew(bounds);
      let keep = false;
      try {
        const result = await untilDeadline(use(open.session), deadline.signal);
        keep = true;
        return result;
      } catch (error) {
        // An upstream tool's own failure leaves the session as good as it was.
        if (error instanceof McpToolError) {
          keep = true;
          throw error;
        }
        // The server forgot the session (it expired or restarted): once more on a new one.
        if (reused && tries === 0 && sessionRefused(open.attempt)) continue;
        if (error instanceof McpSourceError) throw error;
        throw sourceFailure(error, open.attempt) ?? protocolFailure(error, open.attempt);
      } finally {
        if (keep && key !== null && open.reusable && !deadline.signal.aborted) giveBack(key, open);
        else await open.close(!deadline.signal.aborted && !reused);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

// --- private ---

/** How long closing may take: ending a streamable HTTP session politely. */
const CLOSE_GRACE_MS = 2_000;

const CLIENT_INFO = { name: "executor-cloudflare", version };

interface Deadline {
  signal: AbortSignal;
  /** Epoch milliseconds. */
  deadlineAt: number;
  budgetMs: number;
}

/** What one transport attempt saw on the wire, to classify its failures by. */
interface Attempt extends Deadline {
  host: string;
  /** Final statuses of every response, in order. */
  statuses: number[];
  /** The first refusal or failure of the guarded client. */
  outbound?: OutboundError;
}

interface OpenSession {
  session: McpSession;
  /** What the current exchange saw on the wire. */
  readonly attempt: Attempt;
  /** A streamable HTTP session opened for reuse. */
  reusable: boolean;
  /** Starts a new exchange on this session: a new deadline, a fresh record of what is seen. */
  renew(deadline: Deadline): void;
  /** Closes the client; `graceful` first ends a streamable HTTP session with a DELETE. */
  close(graceful: boolean): Promise<void>;
}

type AttemptResult = { ok: true; open: OpenSession } | { ok: false; attempt: Attempt; failure: McpSourceError };

async function connect(endpoint: McpEndpoint, url: URL, deadline: Deadline, reusable = false): Promise<OpenSession> {
  const streamable = await attemptTransport("streamable-http", endpoint, url, deadline, reusable);
  if (streamable.ok) return streamable.open;
  if (!predatesStreamableHttp(streamable)) throw streamable.failure;

  const sse = await attemptTransport("sse", endpoint, url, deadline);
  if (sse.ok) return sse.open;
  if (sse.failure.reason !== "protocol") throw sse.failure;
  throw new McpSourceError(
    "protocol",
    `${url.host} answered neither as a streamable HTTP nor as an SSE MCP server (${describeFailure(streamable.attempt)}; then ${describeFailure(sse.attempt)})`,
    { cause: sse.failure },
  );
}

/**
 * The spec's test for an older server: the initialize POST failed with a 4xx. A 401 or 403
 * is not one (the credentials are wrong for either transport), nor is a guard refusal.
 */
function predatesStreamableHttp(result: { attempt: Attempt; failure: McpSourceError }): boolean {
  const status = result.attempt.statuses.at(-1);
  return result.failure.reason === "protocol" && status !== undefined && status >= 400 && status < 500;
}

async function attemptTransport(kind: McpTransportKind, endpoint: McpEndpoint, url: URL, deadline: Deadline, reusable = false): Promise<AttemptResult> {
  const state = { attempt: { ...deadline, host: url.host, statuses: [] } as Attempt };
  const attempt = state.attempt;
  const fetch = observedFetch(endpoint, url, state, reusable && kind === "streamable-http");
  const requestInit = { headers: endpoint.headers };
  // The guard follows redirects itself, checking every hop and dropping the endpoint's
  // headers when a hop leaves its origin; the SDK is told not to add its own policy.
  const transport =
    kind === "streamable-http"
      ? new StreamableHTTPClientTransport(url, { fetch, requestInit, redirectPolicy: "follow" })
      : new SSEClientTransport(url, { fetch, requestInit, redirectPolicy: "follow" });
  // The SDK's default validator (Ajv) compiles schemas with eval, which workerd forbids.
  const client = new Client(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() });
  const requestOptions = (): RequestOptions => ({
    signal: state.attempt.signal,
    timeout: Math.max(1, state.attempt.deadlineAt - Date.now()),
  });

  try {
    // The SSE transport's start (waiting for the `endpoint` event) takes no signal: raced.
    await untilDeadline(client.connect(transport, requestOptions()), deadline.signal);
  } catch (error) {
    await client.close().catch(() => undefined);
    return { ok: false, attempt, failure: sourceFailure(error, attempt) ?? protocolFailure(error, attempt) };
  }

  const session: McpSession = {
    client,
    transport: kind,
    requestOptions,
    sourceFailure: (error) => sourceFailure(error, state.attempt),
  };
  const close = async (graceful: boolean): Promise<void> => {
    // A session left open holds resources on the upstream until it gives up on us.
    if (graceful && transport instanceof StreamableHTTPClientTransport) {
      await within(transport.terminateSession().catch(() => undefined), CLOSE_GRACE_MS);
    }
    await client.close().catch(() => undefined);
  };
  const open: OpenSession = {
    session,
    get attempt() {
      return state.attempt;
    },
    reusable: reusable && kind === "streamable-http",
    renew(next) {
      state.attempt = { ...next, host: url.host, statuses: [] };
    },
    close,
  };
  return { ok: true, open };
}

/**
 * The guarded streaming client, recording statuses and guard failures into the current
 * exchange's attempt. A reusable session answers its own GET (the optional stream for
 * server-initiated messages) with 405, as a server without one would: nothing of it may
 * outlive the request that opened it.
 */
function observedFetch(endpoint: McpEndpoint, url: URL, state: { attempt: Attempt }, reusable: boolean): StreamingFetch {
  const guarded = guardedFetchFunction({
    allowLocalNetwork: endpoint.allowLocalNetwork,
    timeoutMs: state.attempt.budgetMs,
    // The endpoint's headers, and whatever its URL's query carries (some servers take an
    // API key there), are the connection's credentials: only the server's origin gets them.
    credentials: { origin: url.origin, headers: Object.keys(endpoint.headers), queryParams: [...url.searchParams.keys()] },
  });
  return async (input, init) => {
    const attempt = state.attempt;
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (reusable && method === "GET") return new Response(null, { status: 405 });
    try {
      // The exchange's own deadline, not the transport's abort signal: that one belongs to the
      // request that opened the session, and workerd refuses one request's I/O in another.
      const response = await guarded(input, reusable ? { ...init, signal: attempt.signal } : init);
      attempt.statuses.push(response.status);
      return response;
    } catch (error) {
      if (error instanceof OutboundError) attempt.outbound ??= error;
      throw error;
    }
  };
}

/** Idle reusable sessions, by server URL and credentials; a session is used by one call at a time. */
const idleSessions = new Map<string, { open: OpenSession; idleSince: number }[]>();
/** Upstreams expire idle sessions too; past this, a new one is cheaper than a refused one. */
const IDLE_MS = 5 * 60_000;
const MAX_IDLE_PER_KEY = 2;
const MAX_KEYS = 200;

/** The pool key: the server and the exact credentials, so no session serves another connection. */
function poolKey(url: URL, endpoint: McpEndpoint): string {
  const headers = Object.entries(endpoint.headers).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([url.href, endpoint.allowLocalNetwork, headers]);
}

function takeIdle(key: string): OpenSession | undefined {
  const sessions = idleSessions.get(key);
  while (sessions && sessions.length > 0) {
    const entry = sessions.pop()!;
    if (Date.now() - entry.idleSince < IDLE_MS) return entry.open;
    // Too old: dropped without a DELETE (this request did not open it; the upstream expires it).
    void entry.open.session.client.close().catch(() => undefined);
  }
  return undefined;
}

function giveBack(key: string, open: OpenSession): void {
  const sessions = idleSessions.get(key) ?? [];
  if (sessions.length >= MAX_IDLE_PER_KEY) {
    void open.session.client.close().catch(() => undefined);
    return;
  }
  if (!idleSessions.has(key) && idleSessions.size >= MAX_KEYS) idleSessions.delete(idleSessions.keys().next().value!);
  sessions.push({ open, idleSince: Date.now() });
  idleSessions.set(key, sessions);
}

/** The server refused the session itself (MCP: 404 for an unknown session; some answer 400). */
function sessionRefused(attempt: Attempt): boolean {
  const status = attempt.statuses.at(-1);
  return status === 404 || status === 400;
}

/** A timeout, a guard refusal or refused credentials; null for anything else. */
function sourceFailure(error: unknown, attempt: Attempt): McpSourceError | null {
  if (error instanceof McpSourceError) return error;
  if (attempt.signal.aborted || (error instanceof McpError && error.code === ErrorCode.RequestTimeout)) {
    return new McpSourceError("unreachable", `${attempt.host} did not answer within ${attempt.budgetMs / 1000} s`, { cause: error });
  }
  const outbound = attempt.outbound ?? (error instanceof OutboundError ? error : undefined);
  if (outbound) return new McpSourceError("unreachable", outbound.message, { cause: outbound });
  const refused = attempt.statuses.find((status) => status === 401 || status === 403);
  if (refused !== undefined) {
    return new McpSourceError("unauthorized", `${attempt.host} refused the connection's credentials (HTTP ${refused})`, { cause: error });
  }
  return null;
}

function protocolFailure(error: unknown, attempt: Attempt): McpSourceError {
  return new McpSourceError("protocol", `${attempt.host} did not answer as an MCP server: ${describeFailure(attempt, error)}`, { cause: error });
}

/** The last HTTP error status when there was one, else the error's own (cleaned, cut) text. */
function describeFailure(attempt: Attempt, error?: unknown): string {
  const status = attempt.statuses.findLast((code) => code >= 400);
  if (status !== undefined) return `HTTP ${status}`;
  // SDK texts may quote the upstream's answer: cleaned and cut, never trusted as markup.
  const cause = error ?? attempt.outbound;
  return plainText(cause instanceof Error ? cause.message : String(cause), 300) || "no usable answer";
}

/** `work`, or the signal's reason as soon as it fires. */
function untilDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Waits for `work` at most `ms`; what it does after that is no longer waited for. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  if (timer !== null) clearTimeout(timer);
}
