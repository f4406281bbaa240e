/**
 * Sending a tool's HTTP request and judging the answer, for every HTTP-based source:
 * credentials bound to the integration's origin, upstream 401/403 → `connection_rejected`
 * (and the connection marked), other non-2xx → `upstream_error` with the start of the body,
 * everything the program sees scrubbed of the connection's secrets.
 */
import type { Tool } from "../catalog";
import { forgetToken, noteConnectionUse, redactSecrets, type AppliedAuth, type StoredConnection } from "../connections";
import type { Database } from "../db";
import { ExecutorError } from "../errors";
import { guardedFetch, OutboundError, type OutboundRequest, type OutboundResponse } from "../outbound";

const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const ERROR_BODY_CHARS = 2_000;

export interface CallContext {
  tool: Tool;
  /** Where the connection's credentials may go. */
  origin: string;
  connection: StoredConnection | null;
  auth: AppliedAuth;
  db: Database;
  allowLocalNetwork: boolean;
}

/** Sends the request; answers a 2xx response or throws the matching tool error. */
export async function sendCall(request: OutboundRequest, context: CallContext): Promise<OutboundResponse> {
  const { tool, connection, auth, db } = context;
  let response: OutboundResponse;
  try {
    response = await guardedFetch(request, {
      allowLocalNetwork: context.allowLocalNetwork,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      credentials: { origin: context.origin, headers: Object.keys(auth.headers), queryParams: Object.keys(auth.query) },
    });
  } catch (error) {
    if (error instanceof OutboundError) {
      throw new ExecutorError(error.reason === "timeout" ? "upstream_timeout" : "upstream_error", redactSecrets(`${tool.address}: ${error.message}`, auth.secrets));
    }
    throw error;
  }
  if (response.status === 401 || response.status === 403) {
    if (connection) {
      forgetToken(connection.id);
      await noteConnectionUse(db, connection, "rejected", Date.now());
    }
    throw new ExecutorError("connection_rejected", `${tool.integration} refused the ${connection ? `connection ${connection.name}` : "anonymous call"} (HTTP ${response.status})`, {
      upstreamStatus: response.status,
      details: trimmedBody(redactSecrets(response.text(), auth.secrets)),
    });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new ExecutorError("upstream_error", `${tool.address} answered HTTP ${response.status}`, {
      upstreamStatus: response.status,
      details: trimmedBody(redactSecrets(response.text(), auth.secrets)),
    });
  }
  if (connection) await noteConnectionUse(db, connection, "ok", Date.now());
  return response;
}

/** The answer's data: JSON when it says so, else text; null for an empty answer. */
export function parseBody(response: OutboundResponse): unknown {
  if (response.status === 204 || response.body.length === 0) return null;
  const type = response.headers.get("content-type") ?? "";
  if (/json/i.test(type)) {
    try {
      return response.json();
    } catch {
      return response.text();
    }
  }
  return response.text();
}

/** The start of an error answer, for `details`. */
export function trimmedBody(text: string): string {
  return text.length > ERROR_BODY_CHARS ? `${text.slice(0, ERROR_BODY_CHARS)}…` : text;
}

