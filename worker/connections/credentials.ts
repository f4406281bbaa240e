/**
 * The credentials for one call, whatever the source: choose the connection (the one named,
 * else the caller's personal default, else the shared default, else none), open its sealed
 * credentials, get a current OAuth token when it has one, and apply them. Sources then put
 * `auth` on their request and redact `auth.secrets` from everything the program sees.
 *
 * Warm calls read no connection from D1: an integration's connections (with their sealed
 * credentials) are cached per isolate for the `connections` revision the run read, which
 * every create, delete and re-authorisation bumps; OAuth access tokens are cached until a
 * minute before they expire (oauth-tokens.ts).
 *
 * Sealed credentials that open with neither configured key (EXECUTOR_SECRET_KEY, or
 * EXECUTOR_SECRET_KEY_PREVIOUS during a rotation) are never served garbled and never a 500:
 * the connection is marked `needs_reauth` and the call fails with a tool error saying so.
 */
import { and, eq, or } from "drizzle-orm";
import type { Caller, Identity } from "../auth";
import { schema, type Database } from "../db";
import { ExecutorError } from "../errors";
import { requireSecureEndpoint } from "../oauth";
import { SecretDecryptionError, secretKeyring, type SecretKeys } from "../secrets";
import { applyAuth, NO_AUTH, type AppliedAuth, type AuthHints } from "./apply-auth";
import { authorizationCodeToken, clientCredentialsToken } from "./oauth-tokens";
import { noteConnectionUse, SHARED_OWNER, storedConnection, type StoredConnection } from "./store";

export interface CallCredentials {
  connection: StoredConnection | null;
  auth: AppliedAuth;
  /** For an OAuth connection: the access token in `auth`, which `renewCredentials` replaces after a 401. */
  accessToken?: string;
}

/** Where an integration is, for a connection's relative token URL. */
interface IntegrationLocation {
  slug: string;
  baseUrl: string | null;
}

/**
 * Resolves and applies the connection for a call to `integration`. `hints` come from the
 * source (where an API key goes, a token URL); a relative token URL resolves against `baseUrl`.
 */
export async function credentialsForCall(
  db: Database,
  caller: Caller,
  integration: IntegrationLocation,
  connectionName: string | null,
  options: { hints?: AuthHints; boundConnectionId?: string | null; connectionsRevision?: number } = {},
): Promise<CallCredentials> {
  const hints = options.hints ?? {};
  const connection = await resolveConnection(db, integration.slug, connectionName, caller.identity, options.connectionsRevision);
  // Checked here, where the connection is chosen, so nothing can change between check and use.
  if (options.boundConnectionId !== undefined && (connection?.id ?? null) !== options.boundConnectionId) {
    throw new ExecutorError("approval_stale", "The call was approved with another connection than it would use now; it was not sent. Run it again to ask anew.");
  }
  if (!connection) return { connection: null, auth: NO_AUTH };
  return applyConnection(db, caller, integration, connection, hints);
}

/**
 * Fresh credentials for the same connection after the upstream refused `rejected`'s OAuth
 * access token with 401: a new token through the refresh (or client-credentials) path, even
 * if the refused one has not expired. A refused refresh marks the connection `needs_reauth`
 * (oauth_reauth_required). Only OAuth connections can be renewed; anything else is answered
 * as it is. docs/integrations.md, "A refused token".
 */
export async function renewCredentials(db: Database, caller: Caller, integration: IntegrationLocation, rejected: CallCredentials, options: { hints?: AuthHints } = {}): Promise<CallCredentials> {
  if (!rejected.connection || rejected.connection.authType !== "oauth2" || rejected.accessToken === undefined) return rejected;
  return applyConnection(db, caller, integration, rejected.connection, options.hints ?? {}, rejected.accessToken);
}

/** Opens the connection's credentials, gets a current OAuth token when it has one (never `rejectedToken`), and applies them. */
async function applyConnection(db: Database, caller: Caller, integration: IntegrationLocation, connection: StoredConnection, hints: AuthHints, rejectedToken?: string): Promise<CallCredentials> {
  const { secretKeys, allowLocalNetwork } = caller.config;
  const credentials = await unlessUnreadable(db, connection, () => openCredentials(secretKeys, connection));
  let accessToken: string | undefined;
  if (connection.authType === "oauth2" && connection.settings.grant === "authorization_code") {
    accessToken = await unlessUnreadable(db, connection, () => authorizationCodeToken(db, secretKeys, connection, allowLocalNetwork, rejectedToken));
  } else if (connection.authType === "oauth2") {
    const tokenUrl = (connection.settings.tokenUrl as string | undefined) ?? hints.tokenUrl;
    if (!tokenUrl) throw new ExecutorError("no_connection", "The OAuth connection has no token URL and the source declares none");
    accessToken = await clientCredentialsToken(
      db,
      secretKeys,
      {
        connectionId: connection.id,
        tokenUrl: requireSecureEndpoint(new URL(tokenUrl, integration.baseUrl ?? undefined).href, "token endpoint", allowLocalNetwork, "no_connection"),
        clientId: String(connection.settings.clientId),
        clientSecret: String(credentials.clientSecret),
        scopes: (connection.settings.scopes as string[]) ?? [],
        allowLocalNetwork,
      },
      Date.now(),
      rejectedToken,
    );
  }
  const auth = applyAuth({ authType: connection.authType, settings: connection.settings, credentials, accessToken }, hints);
  return accessToken === undefined ? { connection, auth } : { connection, auth, accessToken };
}

/**
 * The connection a call uses: the one named (the caller's personal first, then the shared
 * one), else the caller's personal default, else the shared default, else none. A default is
 * the only connection of its kind, or the one named `default`.
 */
export async function resolveConnection(db: Database, integration: string, name: string | null, identity: Identity, revision?: number): Promise<StoredConnection | null> {
  const rows = (await connectionsOf(db, integration, identity, revision)).filter((row) => row.owner === SHARED_OWNER || row.owner === identity.id);
  const personal = rows.filter((row) => row.owner === identity.id);
  const shared = rows.filter((row) => row.owner === SHARED_OWNER);
  if (name !== null) {
    const found = personal.find((row) => row.name === name) ?? shared.find((row) => row.name === name);
    if (!found) throw new ExecutorError("no_connection", `No connection named ${name} for ${integration}`);
    return found;
  }
  const pick = (candidates: StoredConnection[]) => (candidates.length === 1 ? candidates[0] : candidates.find((row) => row.name === "default"));
  const chosen = pick(personal) ?? pick(shared);
  if (!chosen && (personal.length > 1 || shared.length > 1)) {
    throw new ExecutorError("no_connection", `${integration} has several connections; name one: tools.${integration}.<tool>(args, { connection: "<name>" })`);
  }
  return chosen ?? null;
}

const MAX_CACHED_INTEGRATIONS = 200;
const cachedConnections = new Map<string, { revision: number; rows: StoredConnection[] }>();

/**
 * An integration's connections with their sealed credentials: the caller's and the shared ones
 * from D1 in one query, or (given the run's `connections` revision) every owner's from the
 * isolate's cache, loaded once per revision.
 */
async function connectionsOf(db: Database, integration: string, identity: Identity, revision: number | undefined): Promise<StoredConnection[]> {
  if (revision === undefined) return loadConnections(db, integration, identity.id);
  const cached = cachedConnections.get(integration);
  if (cached && cached.revision === revision) return cached.rows;
  const rows = await loadConnections(db, integration, null);
  if (cachedConnections.size >= MAX_CACHED_INTEGRATIONS && !cachedConnections.has(integration)) cachedConnections.delete(cachedConnections.keys().next().value!);
  cachedConnections.set(integration, { revision, rows });
  return rows;
}

async function loadConnections(db: Database, integration: string, ownerId: string | null): Promise<StoredConnection[]> {
  const owners = ownerId === null ? undefined : or(eq(schema.connections.owner, SHARED_OWNER), eq(schema.connections.owner, ownerId));
  const joined = await db
    .select({ connection: schema.connections, ciphertext: schema.secrets.ciphertext })
    .from(schema.connections)
    .leftJoin(schema.secrets, eq(schema.secrets.id, schema.connections.secretId))
    .where(and(eq(schema.connections.integration, integration), owners));
  return joined.map((row) => ({ ...storedConnection(row.connection), sealedCredentials: row.ciphertext ?? null }));
}

/**
 * Every string in a connection's sealed credentials (keys, passwords, tokens), to redact them
 * from text that leaves the Worker; empty when it has none or they cannot be opened.
 */
export async function connectionSecretValues(db: Database, keys: SecretKeys, integration: string, connectionName: string | null, identity: Identity): Promise<string[]> {
  try {
    const connection = await resolveConnection(db, integration, connectionName, identity);
    if (!connection) return [];
    return stringsIn(await openCredentials(keys, connection));
  } catch {
    return [];
  }
}

/** The decrypted credential part of a connection. */
async function openCredentials(keys: SecretKeys, connection: StoredConnection): Promise<Record<string, unknown>> {
  if (!connection.secretId || !connection.sealedCredentials) return {};
  const text = await (await secretKeyring(keys)).decrypt(connection.sealedCredentials, `secret:${connection.secretId}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Runs `open`; a secret no configured key opens marks the connection `needs_reauth` and
 * becomes a tool error, so the credentials are entered again instead of served garbled.
 */
async function unlessUnreadable<T>(db: Database, connection: StoredConnection, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    console.error(`connection ${connection.id}: ${error.message}`);
    await noteConnectionUse(db, connection, "needs_reauth", Date.now());
    const again = connection.authType === "oauth2" && connection.settings.grant === "authorization_code" ? "authorise it again" : "remove it and add it again";
    throw new ExecutorError(
      connection.authType === "oauth2" ? "oauth_reauth_required" : "no_connection",
      `The stored credentials of connection ${connection.name} cannot be decrypted with the configured secret key: ${again}`,
    );
  }
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}
