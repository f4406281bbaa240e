/**
 * Talking to a token endpoint (RFC 6749 §3.2) for every grant, and to a registration endpoint
 * (RFC 7591): the form posts and the answers' checks. Errors name the step, never a secret.
 * It stores nothing: connections/ decides what to keep.
 */
import { ExecutorError } from "../errors";
import { guardedFetch, OutboundError } from "../outbound";

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; absent when the server gave no lifetime. */
  expiresAt?: number;
}

export interface ClientAuth {
  clientId: string;
  clientSecret?: string;
}

export type TokenResult =
  | { ok: true; tokens: TokenSet }
  /** `refused`: the server said no (a 4xx: invalid_grant, invalid_client, ...); else it failed. */
  | { ok: false; refused: boolean; timedOut?: boolean; status?: number; message: string };

/**
 * Posts a grant (`grant_type` and its parameters) to the token endpoint. A confidential client
 * authenticates with HTTP Basic, its id and secret form-encoded first (RFC 6749 §2.3.1); a
 * public one sends `client_id` in the body.
 */
export async function requestTokens(tokenEndpoint: string, client: ClientAuth, grant: Record<string, string>, allowLocalNetwork: boolean, now: number): Promise<TokenResult> {
  const body = new URLSearchParams(grant);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (client.clientSecret) {
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
  } else {
    body.set("client_id", client.clientId);
  }
  let response;
  try {
    response = await guardedFetch({ url: tokenEndpoint, method: "POST", headers, body: body.toString() }, { allowLocalNetwork, timeoutMs: 15_000, maxResponseBytes: 64 * 1024, secretBody: true });
  } catch (error) {
    if (error instanceof OutboundError) return { ok: false, refused: false, timedOut: error.reason === "timeout", message: `token endpoint: ${error.message}` };
    throw error;
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = response.json() as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  if (response.status >= 400 && response.status < 500) {
    const reason = typeof parsed.error === "string" ? parsed.error : `HTTP ${response.status}`;
    return { ok: false, refused: true, status: response.status, message: `token endpoint refused the grant: ${reason}` };
  }
  if (response.status !== 200 || typeof parsed.access_token !== "string" || parsed.access_token === "") {
    return { ok: false, refused: false, status: response.status, message: `token endpoint answered HTTP ${response.status} without an access_token` };
  }
  return {
    ok: true,
    tokens: {
      accessToken: parsed.access_token,
      ...(typeof parsed.refresh_token === "string" ? { refreshToken: parsed.refresh_token } : {}),
      ...(typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? { expiresAt: now + parsed.expires_in * 1000 } : {}),
    },
  };
}

/** Dynamic client registration (RFC 7591) as a public client using PKCE. */
export async function registerClient(registrationEndpoint: string, redirectUri: string, allowLocalNetwork: boolean): Promise<ClientAuth> {
  let response;
  try {
    response = await guardedFetch(
      {
        url: registrationEndpoint,
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          client_name: "Executor for Cloudflare",
          redirect_uris: [redirectUri],
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          token_endpoint_auth_method: "none",
        }),
      },
      { allowLocalNetwork, timeoutMs: 15_000, maxResponseBytes: 64 * 1024 },
    );
  } catch (error) {
    if (error instanceof OutboundError) throw new ExecutorError("upstream_error", `client registration failed: ${error.message}`);
    throw error;
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = response.json() as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  if (response.status >= 300 || typeof parsed.client_id !== "string") {
    throw new ExecutorError("upstream_error", `client registration answered HTTP ${response.status} without a client_id`, { upstreamStatus: response.status });
  }
  return { clientId: parsed.client_id, ...(typeof parsed.client_secret === "string" ? { clientSecret: parsed.client_secret } : {}) };
}
