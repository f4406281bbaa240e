/**
 * The OAuth 2.0 authorization-code flow that gives a connection its tokens (RFC 6749 §4.1
 * with PKCE S256, RFC 7636, and the `resource` parameter of RFC 8707 for MCP servers):
 * preparing the connection (where its authorization server is, which client), starting the
 * flow for a person, and completing it at the Worker's callback. A connection either has its
 * own client (given, or registered dynamically) or uses an OAuth app an admin registered
 * once (oauth-apps.ts); oauth-client.ts resolves which. Keeping the token alive afterwards
 * is oauth-tokens.ts.
 *
 * `state` is random, single-use, expires in 10 minutes and is bound to the identity that
 * started the flow: a callback by anyone else is refused (403), so a victim cannot be made
 * to connect an attacker's account. Only its hash is stored.
 */
import { eq, sql } from "drizzle-orm";
import type { Identity } from "../auth";
import type { Config } from "../config";
import { bumpRevision, schema, type Database } from "../db";
import { ExecutorError } from "../errors";
import { challengeFor, discoverAuthServer, discoverForResource, randomToken, registerClient, requestTokens, requireSecureEndpoint, sha256Hex } from "../oauth";
import { putSecret, readSecretWithSeal, SecretDecryptionError, secretKeyring, type SecretKeys } from "../secrets";
import type { ParsedAuth } from "./auth-input";
import { loadOAuthAppClient } from "./oauth-apps";
import { flowClientFor, type AuthorizationCodeSettings } from "./oauth-client";
import { forgetToken, type AuthorizationCodeSecret } from "./oauth-tokens";
import { recordTokenExpiry } from "./store";

export const STATE_TTL_MS = 10 * 60_000;
/** Where authorization servers send the person back. */
export const CALLBACK_PATH = "/api/oauth/callback";

/** Where an integration's authorization server is, as its source tells. */
export type AuthorizationServerHint =
  /** An MCP server: found through its RFC 9728 / RFC 8414 metadata; the URL is also the RFC 8707 resource. */
  | { kind: "resource"; resourceUrl: string }
  /** Endpoints a spec declares (relative ones resolve against `baseUrl`). */
  | { kind: "declared"; authorizationUrl: string; tokenUrl: string; baseUrl: string | null };

/** Fills in endpoints, client and callback for an `oauth2` / `authorization_code` connection. */
export async function prepareAuthorizationCode(auth: ParsedAuth, server: AuthorizationServerHint, origin: string, config: Config): Promise<ParsedAuth> {
  const redirectUri = `${origin}${CALLBACK_PATH}`;
  let authorizationEndpoint: string;
  let tokenEndpoint: string;
  let registrationEndpoint: string | undefined;
  let resource: string | undefined;
  if (server.kind === "resource") {
    ({ authorizationEndpoint, tokenEndpoint, registrationEndpoint } = await discoverForResource(server.resourceUrl, config));
    resource = server.resourceUrl;
  } else {
    // Checked before anything is fetched from them: a spec is upstream data.
    authorizationEndpoint = requireSecureEndpoint(new URL(server.authorizationUrl, server.baseUrl ?? undefined).href, "authorization endpoint", config.allowLocalNetwork);
    tokenEndpoint = new URL(server.tokenUrl, server.baseUrl ?? undefined).href;
    registrationEndpoint = (await discoverAuthServer(new URL(authorizationEndpoint).origin, config))?.registrationEndpoint;
  }
  authorizationEndpoint = requireSecureEndpoint(authorizationEndpoint, "authorization endpoint", config.allowLocalNetwork);
  tokenEndpoint = requireSecureEndpoint(tokenEndpoint, "token endpoint", config.allowLocalNetwork);
  if (registrationEndpoint) registrationEndpoint = requireSecureEndpoint(registrationEndpoint, "registration endpoint", config.allowLocalNetwork);
  let clientId = auth.settings.clientId as string | undefined;
  const secret = { ...(auth.secret ?? {}) };
  if (!clientId) {
    if (!registrationEndpoint) {
      throw new ExecutorError("invalid_request", "The authorization server offers no dynamic client registration: give auth.clientId (and clientSecret)", {
        details: [{ field: "auth.clientId", problem: "required for this server" }],
      });
    }
    const registered = await registerClient(registrationEndpoint, redirectUri, config.allowLocalNetwork);
    clientId = registered.clientId;
    if (registered.clientSecret) secret.clientSecret = registered.clientSecret;
  }
  const settings: AuthorizationCodeSettings = {
    grant: "authorization_code",
    clientId,
    authorizationEndpoint,
    tokenEndpoint,
    scopes: (auth.settings.scopes as string[] | undefined) ?? [],
    redirectUri,
    ...(resource ? { resource } : {}),
  };
  return { ...auth, settings: settings as unknown as Record<string, unknown>, secret, maskedHint: clientId };
}

/**
 * Fills in an `oauth2` / `authorization_code` connection that uses an OAuth app (`auth.app`):
 * the app must exist and be usable, and the scopes are the connection's own, else the app's
 * with the integration's defaults (`integrationScopes`). The app's client is not copied: it
 * is read at each use.
 */
export async function prepareAppAuthorization(
  db: Database,
  auth: ParsedAuth,
  integrationScopes: readonly string[],
  origin: string,
  config: Config,
): Promise<ParsedAuth> {
  const appId = auth.settings.appId as string;
  const app = await loadOAuthAppClient(db, config.secretKeys, appId, config.allowLocalNetwork, "invalid_request");
  const own = auth.settings.scopes as string[] | undefined;
  const scopes = own !== undefined && own.length > 0 ? own : [...new Set([...app.scopes, ...integrationScopes])];
  const settings: AuthorizationCodeSettings = { grant: "authorization_code", appId, scopes, redirectUri: `${origin}${CALLBACK_PATH}` };
  return { ...auth, settings: settings as unknown as Record<string, unknown>, secret: {}, maskedHint: app.clientId };
}

/** Starts a flow for `connectionId`; returns the URL the person opens. */
export async function startAuthorization(
  db: Database,
  keys: SecretKeys,
  connectionId: string,
  settings: AuthorizationCodeSettings,
  identity: Identity,
  allowLocalNetwork: boolean,
  now: number,
): Promise<string> {
  const client = await flowClientFor(db, keys, settings, {}, allowLocalNetwork, "invalid_request");
  const state = randomToken();
  const verifier = randomToken(48);
  const stateHash = await sha256Hex(state);
  const box = await secretKeyring(keys);
  await db.insert(schema.oauthStates).values({
    stateHash,
    connectionId,
    identityId: identity.id,
    sealedVerifier: await box.encrypt(verifier, `oauth-state:${stateHash}`),
    redirectUri: settings.redirectUri,
    expiresAt: now + STATE_TTL_MS,
    createdAt: now,
  });
  const url = new URL(client.authorizationEndpoint);
  // The provider's and the app's parameters first, so the flow's own always win.
  for (const [name, value] of Object.entries(client.authorizationParams)) url.searchParams.set(name, value);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", settings.redirectUri);
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await challengeFor(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  if (settings.resource) url.searchParams.set("resource", settings.resource);
  return url.href;
}

/** Completes a flow at the callback; returns the connection it authorised. */
export async function completeAuthorization(
  db: Database,
  keys: SecretKeys,
  identity: Identity,
  state: string,
  code: string,
  allowLocalNetwork: boolean,
  now: number,
): Promise<{ integration: string; name: string }> {
  const stateHash = await sha256Hex(state);
  const pending = await db.select().from(schema.oauthStates).where(eq(schema.oauthStates.stateHash, stateHash)).get();
  if (!pending) throw new ExecutorError("invalid_request", "Unknown or already used OAuth state; start the connection again");
  if (pending.identityId !== identity.id) throw new ExecutorError("forbidden", "This authorization was started by someone else");
  // Single use: whoever deletes the row completes the flow; a replay finds nothing.
  const consumed = await db.delete(schema.oauthStates).where(eq(schema.oauthStates.stateHash, stateHash));
  if (consumed.meta.changes !== 1) throw new ExecutorError("invalid_request", "Unknown or already used OAuth state; start the connection again");
  if (pending.expiresAt <= now) throw new ExecutorError("expired", "The authorization took longer than 10 minutes; start the connection again");

  const connection = await db.select().from(schema.connections).where(eq(schema.connections.id, pending.connectionId)).get();
  if (!connection?.secretId) throw new ExecutorError("not_found", "The connection was removed meanwhile");
  const settings = connection.settings as unknown as AuthorizationCodeSettings;
  const box = await secretKeyring(keys);
  // Sealed under a key no longer configured (a rotation finished within the 10 minutes):
  // a clear answer to start again, never a 500.
  const unreadable = (message: string) => (error: unknown) => {
    if (!(error instanceof SecretDecryptionError)) throw error;
    throw new ExecutorError("conflict", message);
  };
  const verifier = await box
    .decrypt(pending.sealedVerifier, `oauth-state:${stateHash}`)
    .catch(unreadable("This authorization was sealed under a secret key that is no longer configured; start the connection again"));
  const stored = await readSecretWithSeal(db, box, connection.secretId).catch(
    unreadable("The connection's stored credentials cannot be decrypted with the configured secret key; remove the connection and add it again"),
  );
  const secret = (stored ? JSON.parse(stored.plaintext) : {}) as AuthorizationCodeSecret;
  const client = await flowClientFor(db, keys, settings, secret, allowLocalNetwork, "invalid_request");
  const grant: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: pending.redirectUri, code_verifier: verifier };
  if (settings.resource) grant.resource = settings.resource;
  const result = await requestTokens(client.tokenEndpoint, { clientId: client.clientId, clientSecret: client.clientSecret }, grant, allowLocalNetwork, now, client.protocol);
  if (!result.ok) throw new ExecutorError(result.refused ? "invalid_request" : "upstream_unreachable", `Could not complete the authorization: ${result.message}`);
  await putSecret(db, box, connection.secretId, JSON.stringify({ clientSecret: secret.clientSecret, ...result.tokens }), now);
  // New consent may be another account's: approvals given for the old credentials no longer
  // hold, and every isolate's cached copy of this connection is outdated.
  forgetToken(connection.id);
  await db.batch([
    db
      .update(schema.connections)
      .set({ status: "ok", credentialVersion: sql`${schema.connections.credentialVersion} + 1`, updatedAt: now })
      .where(eq(schema.connections.id, connection.id)),
    bumpRevision(db, "connections"),
  ]);
  await recordTokenExpiry(db, connection.id, result.tokens.expiresAt, result.tokens.refreshToken !== undefined, now);
  return { integration: connection.integration, name: connection.name };
}
