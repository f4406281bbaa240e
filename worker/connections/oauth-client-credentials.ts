/**
 * OAuth 2.0 client-credentials tokens (RFC 6749 §4.4) for a connection: fetched from the
 * token endpoint through the guarded client, cached per isolate and encrypted in D1 until
 * shortly before they expire, so isolates share one token instead of each fetching their own.
 */
import { ToolError } from "../catalog";
import type { Database } from "../db";
import { guardedFetch, OutboundError } from "../outbound";
import { putSecret, readSecret, secretBox } from "../secrets";

/** Refresh this long before expiry, so a token never dies mid-call. */
const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_MS = 3_600_000;

const memory = new Map<string, { accessToken: string; expiresAt: number }>();

export interface ClientCredentialsInput {
  connectionId: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  allowLocalNetwork: boolean;
}

/** A valid access token for the connection. */
export async function clientCredentialsToken(db: Database, secretKey: string, input: ClientCredentialsInput, now: number): Promise<string> {
  const cached = memory.get(input.connectionId);
  if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now) return cached.accessToken;
  const box = await secretBox(secretKey);
  const secretId = `connection:${input.connectionId}:token`;
  const stored = await readSecret(db, box, secretId).catch(() => null);
  if (stored) {
    const token = JSON.parse(stored) as { accessToken: string; expiresAt: number };
    if (token.expiresAt - EXPIRY_MARGIN_MS > now) {
      memory.set(input.connectionId, token);
      return token.accessToken;
    }
  }
  const token = await fetchToken(input, now);
  memory.set(input.connectionId, token);
  await putSecret(db, box, secretId, JSON.stringify(token), now);
  return token.accessToken;
}

/** Forgets a cached token (after the upstream refused it). */
export function forgetToken(connectionId: string): void {
  memory.delete(connectionId);
}

async function fetchToken(input: ClientCredentialsInput, now: number): Promise<{ accessToken: string; expiresAt: number }> {
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (input.scopes.length > 0) body.set("scope", input.scopes.join(" "));
  let response;
  try {
    response = await guardedFetch(
      {
        url: input.tokenUrl,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          // RFC 6749 §2.3.1: client credentials in HTTP Basic, form-encoded first.
          authorization: `Basic ${btoa(`${encodeURIComponent(input.clientId)}:${encodeURIComponent(input.clientSecret)}`)}`,
        },
        body: body.toString(),
      },
      { allowLocalNetwork: input.allowLocalNetwork, timeoutMs: 15_000, maxResponseBytes: 64 * 1024 },
    );
  } catch (error) {
    if (error instanceof OutboundError) throw new ToolError(error.reason === "timeout" ? "upstream_timeout" : "upstream_error", `Token endpoint: ${error.message}`);
    throw error;
  }
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    throw new ToolError("connection_rejected", `The token endpoint refused the client credentials (HTTP ${response.status})`, { status: response.status });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new ToolError("upstream_error", `The token endpoint answered HTTP ${response.status}`, { status: response.status });
  }
  let parsed: { access_token?: unknown; expires_in?: unknown };
  try {
    parsed = response.json() as typeof parsed;
  } catch {
    throw new ToolError("upstream_error", "The token endpoint did not answer JSON");
  }
  if (typeof parsed.access_token !== "string" || parsed.access_token === "") {
    throw new ToolError("upstream_error", "The token endpoint answered no access_token");
  }
  const lifetime = typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? parsed.expires_in * 1000 : DEFAULT_LIFETIME_MS;
  return { accessToken: parsed.access_token, expiresAt: now + lifetime };
}
