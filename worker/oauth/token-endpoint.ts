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

/**
 * How a token endpoint wants to be spoken to, where providers differ (connections/
 * oauth-providers.ts holds each provider's values). Absent fields mean RFC 6749's defaults.
 */
export interface TokenProtocol {
  /**
   * `client_secret_basic` (the default, RFC 6749 §2.3.1): id and secret in HTTP Basic.
   * `client_secret_post`: both in the form body, for servers that document only that
   * (GitHub, Microsoft, Slack, Atlassian).
   */
  clientAuthentication?: "client_secret_basic" | "client_secret_post";
  /**
   * A member of the answer holding the person's token when it is not at the top: Slack's
   * `authed_user` (the top-level token is the bot's). Used when that member has an
   * `access_token`, else the top level is read.
   */
  tokenAt?: string;
}

export type TokenResult =
  | { ok: true; tokens: TokenSet }
  /** `refused`: the server said no (a 4xx: invalid_grant, invalid_client, ...); else it failed. */
  | { ok: false; refused: boolean; timedOut?: boolean; status?: number; message: string };

/**
 * Posts a grant (`grant_type` and its parameters) to the token endpoint. A confidential client
 * authenticates with HTTP Basic, its id and secret form-encoded first (RFC 6749 §2.3.1), or in
 * the body when `protocol` says so; a public one sends `client_id` in the body. The answer is
 * asked for as JSON (GitHub answers form-encoded otherwise; a form-encoded answer is read too).
 */
export async function requestTokens(
  tokenEndpoint: string,
  client: ClientAuth,
  grant: Record<string, string>,
  allowLocalNetwork: boolean,
  now: number,
  protocol: TokenProtocol = {},
): Promise<TokenResult> {
  const body = new URLSearchParams(grant);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (client.clientSecret && protocol.clientAuthentication !== "client_secret_post") {
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`)}`;
  } else {
    body.set("client_id", client.clientId);
    if (client.clientSecret) body.set("client_secret", client.clientSecret);
  }
  let response;
  try {
    response = await guardedFetch({ url: tokenEndpoint, method: "POST", headers, body: body.toString() }, { allowLocalNetwork, timeoutMs: 15_000, maxResponseBytes: 64 * 1024, secretBody: true });
  } catch (error) {
    if (error instanceof OutboundError) return { ok: false, refused: false, timedOut: error.reason === "timeout", message: `token endpoint: ${error.message}` };
    throw error;
  }
  const parsed = readAnswer(response.text(), response.headers.get("content-type"));
  // GitHub and Slack refuse with HTTP 200 and an `error` (Slack adds `ok: false`): a refusal all the same.
  const refusedInBody = response.status === 200 && typeof parsed.error === "string" && typeof parsed.access_token !== "string";
  if ((response.status >= 400 && response.status < 500) || refusedInBody) {
    const reason = typeof parsed.error === "string" ? parsed.error : `HTTP ${response.status}`;
    return { ok: false, refused: true, status: response.status, message: `token endpoint refused the grant: ${reason}` };
  }
  const nested = protocol.tokenAt === undefined ? undefined : parsed[protocol.tokenAt];
  const answer = nested !== null && typeof nested === "object" && typeof (nested as Record<string, unknown>).access_token === "string" ? (nested as Record<string, unknown>) : parsed;
  if (response.status !== 200 || typeof answer.access_token !== "string" || answer.access_token === "") {
    return { ok: false, refused: false, status: response.status, message: `token endpoint answered HTTP ${response.status} without an access_token` };
  }
  const expiresIn = typeof answer.expires_in === "string" ? Number(answer.expires_in) : answer.expires_in;
  return {
    ok: true,
    tokens: {
      accessToken: answer.access_token,
      ...(typeof answer.refresh_token === "string" && answer.refresh_token !== "" ? { refreshToken: answer.refresh_token } : {}),
      // No lifetime: a token that does not expire (GitHub OAuth apps), kept until refused.
      ...(typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: now + expiresIn * 1000 } : {}),
    },
  };
}

/** The answer's fields: JSON, or a form-encoded body (what GitHub sends to a client that did not ask for JSON). */
function readAnswer(text: string, contentType: string | null): Record<string, unknown> {
  if (/application\/x-www-form-urlencoded/i.test(contentType ?? "")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
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
