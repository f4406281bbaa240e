/**
 * Talking to a token endpoint (RFC 6749 §3.2) and a registration endpoint (RFC 7591): the
 * form posts and the answers' checks. Errors name the step, never a secret.
 */
import { ToolError } from "../catalog";
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

/** Posts a grant to the token endpoint. A 400/401 (invalid_grant, ...) → `refused`. */
export async function requestTokens(
  tokenEndpoint: string,
  client: ClientAuth,
  grant: Record<string, string>,
  allowLocalNetwork: boolean,
  now: number,
): Promise<{ ok: true; tokens: TokenSet } | { ok: false; refused: boolean; message: string }> {
  const body = new URLSearchParams(grant);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (client.clientSecret) {
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
  } else {
    body.set("client_id", client.clientId);
  }
  let response;
  try {
    response = await guardedFetch({ url: tokenEndpoint, method: "POST", headers, body: body.toString() }, { allowLocalNetwork, timeoutMs: 15_000, maxResponseBytes: 64 * 1024 });
  } catch (error) {
    if (error instanceof OutboundError) return { ok: false, refused: false, message: `token endpoint: ${error.message}` };
    throw error;
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = response.json() as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  if (response.status >= 400 && response.status < 500) {
    return { ok: false, refused: true, message: `token endpoint refused the grant: ${typeof parsed.error === "string" ? parsed.error : `HTTP ${response.status}`}` };
  }
  if (response.status !== 200 || typeof parsed.access_token !== "string" || parsed.access_token === "") {
    return { ok: false, refused: false, message: `token endpoint answered HTTP ${response.status} without an access_token` };
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
  const response = await guardedFetch(
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
  ).catch((error: unknown) => {
    throw new ToolError("upstream_error", `client registration failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  const parsed = (() => {
    try {
      return response.json() as Record<string, unknown>;
    } catch {
      return {};
    }
  })();
  if (response.status >= 300 || typeof parsed.client_id !== "string") {
    throw new ToolError("upstream_error", `client registration answered HTTP ${response.status} without a client_id`);
  }
  return { clientId: parsed.client_id, ...(typeof parsed.client_secret === "string" ? { clientSecret: parsed.client_secret } : {}) };
}
