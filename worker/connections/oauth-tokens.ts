/**
 * A current OAuth access token for a connection, for both grants it supports:
 * - client credentials (RFC 6749 §4.4): fetched with the connection's client id and secret,
 *   cached per isolate and sealed in D1 until shortly before it expires, so isolates share
 *   one token instead of each fetching their own;
 * - authorization code: the token a person's consent produced, refreshed before it expires.
 *   Refresh tokens may rotate (spent once), so isolates first claim the right to refresh with
 *   a compare-and-swap on the sealed secret; the others wait for the new token. A refused
 *   refresh marks the connection `needs_reauth` and the call fails with oauth_reauth_required.
 *
 * Both take the token an upstream just refused with 401 (`rejectedToken`), which forces a new
 * one even before it expires, through the same paths: unless another isolate has already
 * replaced it, which then counts as the new token (one refresh for a burst of refused calls).
 */
import { eq } from "drizzle-orm";
import { schema, type Database } from "../db";
import { ExecutorError } from "../errors";
import { requestTokens, type TokenResult, type TokenSet } from "../oauth";
import { putSecret, readSecret, readSecretWithSeal, secretKeyring, swapSecret, type SecretKeys } from "../secrets";
import { flowClientFor, type AuthorizationCodeSettings } from "./oauth-client";
import { recordTokenExpiry } from "./store";

/** Refresh this long before expiry, so a token never dies mid-call. */
const EXPIRY_MARGIN_MS = 60_000;
/** A client-credentials token without `expires_in` is kept this long. */
const DEFAULT_LIFETIME_MS = 3_600_000;
/** How long one isolate may hold the right to spend the refresh token. */
const REFRESH_CLAIM_MS = 30_000;
const REFRESH_WAIT_MS = 250;
const REFRESH_ATTEMPTS = 20;

/** What an authorization-code connection's sealed secret holds. */
export interface AuthorizationCodeSecret extends Partial<TokenSet> {
  clientSecret?: string;
  /** While set and in the future, another isolate is spending the refresh token. */
  refreshingUntil?: number;
}

/**
 * Access tokens this isolate holds, by connection id, until a minute before they expire: a
 * warm call reads no secret from D1. Only access tokens: a refresh always reads the sealed
 * secret fresh (another isolate may have rotated the refresh token meanwhile).
 */
const clientCredentialsTokens = new Map<string, { accessToken: string; expiresAt: number }>();
const authorizationCodeTokens = new Map<string, { accessToken: string; expiresAt: number | undefined }>();
const MAX_CACHED_TOKENS = 1_000;

/** Forgets a connection's cached access token (the upstream refused it, or it was re-authorised). */
export function forgetToken(connectionId: string): void {
  clientCredentialsTokens.delete(connectionId);
  authorizationCodeTokens.delete(connectionId);
}

function remember<T>(cache: Map<string, T>, connectionId: string, token: T): void {
  if (cache.size >= MAX_CACHED_TOKENS && !cache.has(connectionId)) cache.delete(cache.keys().next().value!);
  cache.set(connectionId, token);
}

/**
 * A valid client-credentials access token for the connection. With `rejectedToken`, that
 * token is never answered: a new one is fetched unless the cache already holds another.
 */
export async function clientCredentialsToken(
  db: Database,
  keys: SecretKeys,
  input: { connectionId: string; tokenUrl: string; clientId: string; clientSecret: string; scopes: string[]; allowLocalNetwork: boolean },
  now: number,
  rejectedToken?: string,
): Promise<string> {
  const usable = (token: { accessToken: string; expiresAt: number }) => token.expiresAt - EXPIRY_MARGIN_MS > now && token.accessToken !== rejectedToken;
  const cached = clientCredentialsTokens.get(input.connectionId);
  if (cached && usable(cached)) return cached.accessToken;
  const box = await secretKeyring(keys);
  const secretId = `connection:${input.connectionId}:token`;
  const stored = await readSecret(db, box, secretId).catch(() => null);
  if (stored) {
    const token = JSON.parse(stored) as { accessToken: string; expiresAt: number };
    if (usable(token)) {
      remember(clientCredentialsTokens, input.connectionId, token);
      return token.accessToken;
    }
  }
  const grant: Record<string, string> = { grant_type: "client_credentials" };
  if (input.scopes.length > 0) grant.scope = input.scopes.join(" ");
  const result = await requestTokens(input.tokenUrl, { clientId: input.clientId, clientSecret: input.clientSecret }, grant, input.allowLocalNetwork, now);
  if (!result.ok) {
    const options = result.status === undefined ? {} : { upstreamStatus: result.status };
    if (result.refused) throw new ExecutorError("connection_rejected", `The token endpoint refused the client credentials (${result.message})`, options);
    throw new ExecutorError(result.timedOut ? "upstream_timeout" : "upstream_error", result.message, options);
  }
  const token = { accessToken: result.tokens.accessToken, expiresAt: result.tokens.expiresAt ?? now + DEFAULT_LIFETIME_MS };
  remember(clientCredentialsTokens, input.connectionId, token);
  await putSecret(db, box, secretId, JSON.stringify(token), now);
  return token.accessToken;
}

/**
 * A current access token for an authorization-code connection, refreshed when about to
 * expire. With `rejectedToken` (the upstream answered 401 to it), that token counts as
 * expired: it is refreshed through the same claim, unless the stored token is already
 * another one (a refresh by another isolate), which is answered as it is.
 */
export async function authorizationCodeToken(
  db: Database,
  keys: SecretKeys,
  connection: { id: string; secretId: string | null; settings: Record<string, unknown> },
  allowLocalNetwork: boolean,
  rejectedToken?: string,
): Promise<string> {
  const cached = authorizationCodeTokens.get(connection.id);
  if (cached && cached.accessToken !== rejectedToken && (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_MARGIN_MS > Date.now())) return cached.accessToken;
  const settings = connection.settings as unknown as AuthorizationCodeSettings;
  const box = await secretKeyring(keys);
  for (let attempt = 0; attempt < REFRESH_ATTEMPTS; attempt += 1) {
    const now = Date.now();
    const stored = connection.secretId ? await readSecretWithSeal(db, box, connection.secretId) : null;
    const secret = (stored ? JSON.parse(stored.plaintext) : {}) as AuthorizationCodeSecret;
    if (!stored || !secret.accessToken) throw new ExecutorError("oauth_reauth_required", "The connection has not been authorised yet: open its authorization URL");
    const refused = secret.accessToken === rejectedToken;
    if (!refused && (secret.expiresAt === undefined || secret.expiresAt - EXPIRY_MARGIN_MS > now)) {
      remember(authorizationCodeTokens, connection.id, { accessToken: secret.accessToken, expiresAt: secret.expiresAt });
      return secret.accessToken;
    }
    if (!secret.refreshToken) {
      throw await markReauth(db, connection.id, refused ? "The upstream refused the access token and the server gave no refresh token" : "The access token expired and the server gave no refresh token");
    }
    if (secret.refreshingUntil !== undefined && secret.refreshingUntil > now) {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_WAIT_MS));
      continue;
    }
    const claimed = await swapSecret(db, box, connection.secretId!, stored.sealed, JSON.stringify({ ...secret, refreshingUntil: now + REFRESH_CLAIM_MS }), now);
    if (!claimed) continue;
    const grant: Record<string, string> = { grant_type: "refresh_token", refresh_token: secret.refreshToken };
    if (settings.resource) grant.resource = settings.resource;
    let result: TokenResult;
    try {
      // An app's client is read now: a secret the admin rotated is used from this refresh on.
      const client = await flowClientFor(db, keys, settings, secret, allowLocalNetwork, "no_connection");
      result = await requestTokens(client.tokenEndpoint, { clientId: client.clientId, clientSecret: client.clientSecret }, grant, allowLocalNetwork, now, client.protocol);
    } catch (error) {
      await putSecret(db, box, connection.secretId!, JSON.stringify({ ...secret, refreshingUntil: undefined }), Date.now());
      throw error;
    }
    if (!result.ok) {
      await putSecret(db, box, connection.secretId!, JSON.stringify({ ...secret, refreshingUntil: undefined }), Date.now());
      if (result.refused) throw await markReauth(db, connection.id, `The refresh was refused (${result.message}); authorise the connection again`);
      throw new ExecutorError("upstream_error", result.message);
    }
    // Servers that do not rotate keep the old refresh token valid.
    const next: AuthorizationCodeSecret = { clientSecret: secret.clientSecret, refreshToken: secret.refreshToken, ...result.tokens };
    await putSecret(db, box, connection.secretId!, JSON.stringify(next), Date.now());
    await recordTokenExpiry(db, connection.id, next.expiresAt, next.refreshToken !== undefined, Date.now());
    remember(authorizationCodeTokens, connection.id, { accessToken: next.accessToken!, expiresAt: next.expiresAt });
    return next.accessToken!;
  }
  throw new ExecutorError("upstream_error", "Timed out waiting for another refresh of this connection's token");
}

async function markReauth(db: Database, connectionId: string, message: string): Promise<ExecutorError> {
  await db.update(schema.connections).set({ status: "needs_reauth", updatedAt: Date.now() }).where(eq(schema.connections.id, connectionId));
  return new ExecutorError("oauth_reauth_required", message);
}
