/**
 * The OAuth 2.0 authorization-code flow for a connection (RFC 6749 §4.1 with PKCE S256,
 * RFC 7636, and the `resource` parameter of RFC 8707 for MCP servers), and keeping its token
 * alive. A human starts the flow; the Worker's callback completes it; calls refresh the
 * token before it expires.
 *
 * `state` is random, single-use, expires in 10 minutes and is bound to the identity that
 * started the flow: a callback by anyone else is refused (403), so a victim cannot be made
 * to connect an attacker's account. Only its hash is stored.
 */
import { eq } from "drizzle-orm";
import type { Identity } from "../auth";
import { ToolError } from "../catalog";
import { schema, type Database } from "../db";
import { ApiError } from "../http";
import { recordTokenExpiry } from "../connections";
import { readSecretWithSeal, secretBox, swapSecret, putSecret } from "../secrets";
import { challengeFor, randomToken, sha256Hex } from "./pkce";
import { requestTokens, type TokenSet } from "./token-endpoint";

export const STATE_TTL_MS = 10 * 60_000;
/** Refresh this long before expiry, so a token never dies mid-call. */
const REFRESH_MARGIN_MS = 60_000;
/** How long one isolate may hold the right to spend the refresh token. */
const REFRESH_CLAIM_MS = 30_000;

export interface AuthorizationCodeSettings {
  grant: "authorization_code";
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  scopes: string[];
  redirectUri: string;
  /** RFC 8707 resource indicator (the MCP server's URL), when the upstream is an MCP server. */
  resource?: string;
}

/** What the connection's sealed secret holds for this grant. */
interface AuthorizationCodeSecret extends Partial<TokenSet> {
  clientSecret?: string;
  /** While set and in the future, another isolate is spending the refresh token. */
  refreshingUntil?: number;
}

/** Starts a flow for `connectionId`; returns the URL the human opens. */
export async function startAuthorization(
  db: Database,
  secretKey: string,
  connectionId: string,
  settings: AuthorizationCodeSettings,
  identity: Identity,
  now: number,
): Promise<string> {
  const state = randomToken();
  const verifier = randomToken(48);
  const stateHash = await sha256Hex(state);
  const box = await secretBox(secretKey);
  await db.insert(schema.oauthStates).values({
    stateHash,
    connectionId,
    identityId: identity.id,
    sealedVerifier: await box.encrypt(verifier, `oauth-state:${stateHash}`),
    redirectUri: settings.redirectUri,
    expiresAt: now + STATE_TTL_MS,
    createdAt: now,
  });
  const url = new URL(settings.authorizationEndpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", settings.redirectUri);
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await challengeFor(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  if (settings.scopes.length > 0) url.searchParams.set("scope", settings.scopes.join(" "));
  if (settings.resource) url.searchParams.set("resource", settings.resource);
  return url.href;
}

/** Completes a flow at the callback; returns the connection it authorised. */
export async function completeAuthorization(
  db: Database,
  secretKey: string,
  identity: Identity,
  state: string,
  code: string,
  allowLocalNetwork: boolean,
  now: number,
): Promise<{ integration: string; name: string }> {
  const stateHash = await sha256Hex(state);
  const pending = await db.select().from(schema.oauthStates).where(eq(schema.oauthStates.stateHash, stateHash)).get();
  if (!pending) throw new ApiError("invalid_request", "Unknown or already used OAuth state; start the connection again");
  if (pending.identityId !== identity.id) throw new ApiError("forbidden", "This authorization was started by someone else");
  // Single use: whoever deletes the row completes the flow; a replay finds nothing.
  const consumed = await db.delete(schema.oauthStates).where(eq(schema.oauthStates.stateHash, stateHash));
  if (consumed.meta.changes !== 1) throw new ApiError("invalid_request", "Unknown or already used OAuth state; start the connection again");
  if (pending.expiresAt <= now) throw new ApiError("expired", "The authorization took longer than 10 minutes; start the connection again");

  const connection = await db.select().from(schema.connections).where(eq(schema.connections.id, pending.connectionId)).get();
  if (!connection?.secretId) throw new ApiError("not_found", "The connection was removed meanwhile");
  const settings = connection.settings as unknown as AuthorizationCodeSettings;
  const box = await secretBox(secretKey);
  const verifier = await box.decrypt(pending.sealedVerifier, `oauth-state:${stateHash}`);
  const stored = await readSecretWithSeal(db, box, connection.secretId);
  const secret = (stored ? JSON.parse(stored.plaintext) : {}) as AuthorizationCodeSecret;
  const grant: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: pending.redirectUri, code_verifier: verifier };
  if (settings.resource) grant.resource = settings.resource;
  const result = await requestTokens(settings.tokenEndpoint, { clientId: settings.clientId, clientSecret: secret.clientSecret }, grant, allowLocalNetwork, now);
  if (!result.ok) throw new ApiError(result.refused ? "invalid_request" : "upstream_unreachable", `Could not complete the authorization: ${result.message}`);
  await putSecret(db, box, connection.secretId, JSON.stringify({ clientSecret: secret.clientSecret, ...result.tokens }), now);
  await db.update(schema.connections).set({ status: "ok", updatedAt: now }).where(eq(schema.connections.id, connection.id));
  await recordTokenExpiry(db, connection.id, result.tokens.expiresAt, result.tokens.refreshToken !== undefined, now);
  return { integration: connection.integration, name: connection.name };
}

/**
 * A current access token for an authorization-code connection, refreshed when it is about to
 * expire. Refresh tokens may rotate (spent once), so isolates first claim the right to
 * refresh with a compare-and-swap on the sealed secret; the others wait for the new token.
 * A refused refresh marks the connection `needs_reauth` and fails with oauth_reauth_required.
 */
export async function authorizationCodeToken(
  db: Database,
  secretKey: string,
  connection: { id: string; secretId: string | null; settings: Record<string, unknown> },
  allowLocalNetwork: boolean,
): Promise<string> {
  const settings = connection.settings as unknown as AuthorizationCodeSettings;
  const box = await secretBox(secretKey);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const now = Date.now();
    const stored = connection.secretId ? await readSecretWithSeal(db, box, connection.secretId) : null;
    const secret = (stored ? JSON.parse(stored.plaintext) : {}) as AuthorizationCodeSecret;
    if (!stored || !secret.accessToken) throw new ToolError("oauth_reauth_required", "The connection has not been authorised yet: open its authorization URL");
    if (secret.expiresAt === undefined || secret.expiresAt - REFRESH_MARGIN_MS > now) return secret.accessToken;
    if (!secret.refreshToken) throw await markReauth(db, connection.id, "The access token expired and the server gave no refresh token");
    if (secret.refreshingUntil !== undefined && secret.refreshingUntil > now) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const claimed = await swapSecret(db, box, connection.secretId!, stored.sealed, JSON.stringify({ ...secret, refreshingUntil: now + REFRESH_CLAIM_MS }), now);
    if (!claimed) continue;
    const grant: Record<string, string> = { grant_type: "refresh_token", refresh_token: secret.refreshToken };
    if (settings.resource) grant.resource = settings.resource;
    const result = await requestTokens(settings.tokenEndpoint, { clientId: settings.clientId, clientSecret: secret.clientSecret }, grant, allowLocalNetwork, now);
    if (!result.ok) {
      await putSecret(db, box, connection.secretId!, JSON.stringify({ ...secret, refreshingUntil: undefined }), Date.now());
      if (result.refused) throw await markReauth(db, connection.id, `The refresh was refused (${result.message}); authorise the connection again`);
      throw new ToolError("upstream_error", result.message);
    }
    // Servers that do not rotate keep the old refresh token valid.
    const next: AuthorizationCodeSecret = { clientSecret: secret.clientSecret, refreshToken: secret.refreshToken, ...result.tokens };
    await putSecret(db, box, connection.secretId!, JSON.stringify(next), Date.now());
    await recordTokenExpiry(db, connection.id, next.expiresAt, next.refreshToken !== undefined, Date.now());
    return next.accessToken!;
  }
  throw new ToolError("upstream_error", "Timed out waiting for another refresh of this connection's token");
}

async function markReauth(db: Database, connectionId: string, message: string): Promise<ToolError> {
  await db
    .update(schema.connections)
    .set({ status: "needs_reauth", updatedAt: Date.now() })
    .where(eq(schema.connections.id, connectionId));
  return new ToolError("oauth_reauth_required", message);
}
