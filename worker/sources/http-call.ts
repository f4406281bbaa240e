/**
 * Sending a tool's HTTP request and judging the answer, for every HTTP-based source:
 * credentials bound to the integration's origin, upstream 401/403 → `connection_rejected`
 * (and the connection marked), other non-2xx → `upstream_error` with the start of the body,
 * everything the program sees scrubbed of the connection's secrets.
 *
 * An OAuth connection whose token the upstream refuses with 401 gets one new token and the
 * call is sent once more, if sending it twice is harmless (docs/integrations.md, "A refused
 * token"). Reading a 2xx body into what the program sees is http-answer.ts.
 */
import type { Tool } from "../catalog";
import { forgetToken, noteConnectionUse, redactSecrets, type AppliedAuth, type CallCredentials, type StoredConnection } from "../connections";
import type { Database } from "../db";
import { ExecutorError } from "../errors";
import { guardedFetch, OutboundError, type OutboundRequest, type OutboundResponse } from "../outbound";

const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const ERROR_BODY_CHARS = 2_000;
/** Methods that change nothing upstream (RFC 9110 §9.2.1): sending one twice is harmless. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CallContext {
  tool: Tool;
  /** Where the connection's credentials may go. */
  origin: string;
  credentials: CallCredentials;
  /**
   * New credentials for the same connection after a 401 (connections' `renewCredentials`);
   * absent: the call is never sent twice.
   */
  renew?: (rejected: CallCredentials) => Promise<CallCredentials>;
  /**
   * Whether the call may be sent again after a 401 though it has a body and an unsafe method:
   * true only for requests that change nothing upstream whatever their method (a GraphQL query).
   */
  readOnly?: boolean;
  db: Database;
  allowLocalNetwork: boolean;
}

/** A 2xx answer, and every secret to redact from what the program sees of it (both tokens after a retry). */
export interface SentCall {
  response: OutboundResponse;
  /** The credentials the answer came with (new ones after a retry). */
  auth: AppliedAuth;
  secrets: string[];
}

/**
 * Sends the request `build` makes with the credentials; answers a 2xx response or throws the
 * matching tool error.
 */
export async function sendCall(build: (auth: AppliedAuth) => OutboundRequest, context: CallContext): Promise<SentCall> {
  const { tool, db } = context;
  let credentials = context.credentials;
  const { connection } = credentials;
  let request = build(credentials.auth);
  let secrets = credentials.auth.secrets;
  let response = await send(request, credentials.auth, context, secrets);
  if (response.status === 401 && retriable(request, credentials, context)) {
    credentials = await renewed(context, connection!);
    secrets = [...secrets, ...credentials.auth.secrets];
    request = build(credentials.auth);
    response = await send(request, credentials.auth, context, secrets);
  }
  if (response.status === 401 || response.status === 403) {
    if (connection) await markRejected(db, connection);
    throw new ExecutorError("connection_rejected", `${tool.integration} refused the ${connection ? `connection ${connection.name}` : "anonymous call"} (HTTP ${response.status})`, {
      upstreamStatus: response.status,
      details: trimmedBody(redactSecrets(response.text(), secrets)),
    });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new ExecutorError("upstream_error", `${tool.address} answered HTTP ${response.status}`, {
      upstreamStatus: response.status,
      details: trimmedBody(redactSecrets(response.text(), secrets)),
    });
  }
  if (connection) await noteConnectionUse(db, connection, "ok", Date.now());
  return { response, auth: credentials.auth, secrets };
}

/** The start of an error answer, for `details`. */
export function trimmedBody(text: string): string {
  return text.length > ERROR_BODY_CHARS ? `${text.slice(0, ERROR_BODY_CHARS)}…` : text;
}

// --- private ---

async function send(request: OutboundRequest, auth: AppliedAuth, context: CallContext, secrets: string[]): Promise<OutboundResponse> {
  try {
    return await guardedFetch(request, {
      allowLocalNetwork: context.allowLocalNetwork,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      credentials: { origin: context.origin, headers: Object.keys(auth.headers), queryParams: Object.keys(auth.query) },
    });
  } catch (error) {
    if (error instanceof OutboundError) {
      throw new ExecutorError(error.reason === "timeout" ? "upstream_timeout" : "upstream_error", redactSecrets(`${context.tool.address}: ${error.message}`, secrets));
    }
    throw error;
  }
}

/**
 * A 401 to an OAuth token is worth one new token when sending the request again is
 * harmless: a safe method, no body, or a read-only request. A write with a body is not
 * retried: the upstream may have acted on it before its auth layer answered (some gateways
 * check late), so a body is never sent twice. A 403 is never retried:
 * the token was understood and lacks a right that a new one would lack too.
 */
function retriable(request: OutboundRequest, credentials: CallCredentials, context: CallContext): boolean {
  if (!context.renew || credentials.connection?.authType !== "oauth2" || credentials.accessToken === undefined) return false;
  return SAFE_METHODS.has((request.method ?? "GET").toUpperCase()) || request.body === undefined || context.readOnly === true;
}

/** The renewed credentials; a token endpoint that refuses the client marks the connection rejected. */
async function renewed(context: CallContext, connection: StoredConnection): Promise<CallCredentials> {
  try {
    return await context.renew!(context.credentials);
  } catch (error) {
    // A refused refresh token already marked the connection needs_reauth (oauth-tokens.ts).
    if (error instanceof ExecutorError && error.code === "connection_rejected") await markRejected(context.db, connection);
    throw error;
  }
}

async function markRejected(db: Database, connection: StoredConnection): Promise<void> {
  forgetToken(connection.id);
  await noteConnectionUse(db, connection, "rejected", Date.now());
}
