/**
 * Connections in D1 and their encrypted credentials in `secrets`. Reads never return a
 * secret: the credential part is decrypted only by `loadCredentials`, for the call that
 * needs it (the stored secret keeps its own id as the AES-GCM context, see secrets/).
 */
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Identity } from "../auth";
import { isAdmin } from "../auth";
import { bumpRevision, inGroupsOf, MAX_BOUND_PARAMETERS, schema, type Database } from "../db";
import type { ConnectionStatus } from "../db";
import { ExecutorError } from "../errors";
import { deleteSecret, putSecret, secretKeyring, type SecretKeys } from "../secrets";
import type { ParsedAuth } from "./auth-input";

export const SHARED_OWNER = "shared";
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** What anyone may see of a connection. */
export interface ConnectionView {
  id: string;
  integration: string;
  name: string;
  shared: boolean;
  authType: string;
  settings: Record<string, unknown>;
  maskedHint: string | null;
  status: ConnectionStatus;
  lastUsedAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface StoredConnection {
  id: string;
  integration: string;
  owner: string;
  name: string;
  authType: string;
  settings: Record<string, unknown>;
  secretId: string | null;
  /** Bumped when the credentials are replaced; approvals bind to it. */
  credentialVersion: number;
  status: ConnectionStatus;
  lastUsedAt: number | null;
  /** The encrypted credentials as stored, opened only for the call that needs them. */
  sealedCredentials: string | null;
}

/** Stores a new connection; its secret is encrypted first. Admins only for shared ones. */
export async function createConnection(
  db: Database,
  keys: SecretKeys,
  input: { integration: string; name: unknown; shared: unknown; auth: ParsedAuth; status?: ConnectionStatus },
  identity: Identity,
  now: number,
): Promise<ConnectionView> {
  if (typeof input.name !== "string" || !NAME.test(input.name)) {
    throw new ExecutorError("invalid_request", "name: letters, digits, _ and -, up to 40 characters", { details: [{ field: "name", problem: "invalid name" }] });
  }
  const shared = input.shared === true;
  if (shared && !isAdmin(identity)) throw new ExecutorError("forbidden", "Only an admin may create a shared connection");
  const owner = shared ? SHARED_OWNER : identity.id;
  const existing = await db
    .select({ id: schema.connections.id })
    .from(schema.connections)
    .where(and(eq(schema.connections.integration, input.integration), eq(schema.connections.owner, owner), eq(schema.connections.name, input.name)))
    .get();
  if (existing) throw new ExecutorError("conflict", `A ${shared ? "shared" : "personal"} connection named ${input.name} already exists`);

  const id = `conn_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const secretId = input.auth.secret ? `connection:${id}` : null;
  if (secretId) await putSecret(db, await secretKeyring(keys), secretId, JSON.stringify(input.auth.secret), now);
  const row = {
    id,
    integration: input.integration,
    owner,
    name: input.name,
    authType: input.auth.authType,
    settings: input.auth.settings,
    maskedHint: input.auth.maskedHint,
    secretId,
    credentialVersion: 1,
    status: input.status ?? ("ok" as const),
    lastUsedAt: null,
    createdBy: identity.id,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([db.insert(schema.connections).values(row), bumpRevision(db, "connections")]);
  } catch (error) {
    if (secretId) await deleteSecret(db, secretId);
    throw error;
  }
  return view(row);
}

/** The shared connections and the caller's own, for one integration. */
export async function listConnections(db: Database, integration: string, identity: Identity): Promise<ConnectionView[]> {
  const rows = await db
    .select()
    .from(schema.connections)
    .where(and(eq(schema.connections.integration, integration), or(eq(schema.connections.owner, SHARED_OWNER), eq(schema.connections.owner, identity.id))))
    .orderBy(asc(schema.connections.name), asc(schema.connections.owner));
  return rows.map(view);
}

/** Removes the caller's personal connection `name`, or the shared one (admins). */
export async function deleteConnection(db: Database, integration: string, name: string, shared: boolean, identity: Identity): Promise<void> {
  if (shared && !isAdmin(identity)) throw new ExecutorError("forbidden", "Only an admin may remove a shared connection");
  const owner = shared ? SHARED_OWNER : identity.id;
  const row = await db
    .select()
    .from(schema.connections)
    .where(and(eq(schema.connections.integration, integration), eq(schema.connections.owner, owner), eq(schema.connections.name, name)))
    .get();
  if (!row) throw new ExecutorError("not_found", `No ${shared ? "shared" : "personal"} connection ${name}`);
  await db.batch([
    db.delete(schema.connections).where(eq(schema.connections.id, row.id)),
    db.delete(schema.secrets).where(inArray(schema.secrets.id, [`connection:${row.id}`, `connection:${row.id}:token`])),
    bumpRevision(db, "connections"),
  ]);
}

/** Statements that remove every connection of an integration and their secrets. */
export async function deleteIntegrationConnections(db: Database, integration: string) {
  const rows = await db.select({ id: schema.connections.id }).from(schema.connections).where(eq(schema.connections.integration, integration));
  const secretIds = rows.flatMap((row) => [`connection:${row.id}`, `connection:${row.id}:token`]);
  return [
    db.delete(schema.connections).where(eq(schema.connections.integration, integration)),
    ...(secretIds.length > 0 ? inGroupsOf(secretIds, MAX_BOUND_PARAMETERS).map((ids) => db.delete(schema.secrets).where(inArray(schema.secrets.id, ids))) : []),
    bumpRevision(db, "connections"),
  ];
}

/** Bookkeeping writes at most this often per connection while its status stays the same. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Records what a call's outcome says about a connection's health (`ok` with its last use, or
 * `rejected`), at most once a minute while the status stays the same. The connection object
 * (perhaps the isolate's cached copy) is updated too, so the next call knows what was written.
 */
export async function noteConnectionUse(db: Database, connection: StoredConnection, status: ConnectionStatus, now: number): Promise<void> {
  const unchanged = connection.status === status && connection.lastUsedAt !== null && now - connection.lastUsedAt <= LAST_USED_RESOLUTION_MS;
  if (unchanged) return;
  connection.status = status;
  if (status === "ok") connection.lastUsedAt = now;
  await db
    .update(schema.connections)
    .set(status === "ok" ? { status, lastUsedAt: now, updatedAt: now } : { status, updatedAt: now })
    .where(eq(schema.connections.id, connection.id));
}

/** Names of the connections a caller can use for an integration (for `describe`). */
export async function connectionNames(db: Database, integration: string, identity: Identity): Promise<{ name: string; shared: boolean; status: ConnectionStatus }[]> {
  const rows = await listConnections(db, integration, identity);
  return rows.map((row) => ({ name: row.name, shared: row.shared, status: row.status }));
}

export function storedConnection(row: typeof schema.connections.$inferSelect): Omit<StoredConnection, "sealedCredentials"> {
  return {
    id: row.id,
    integration: row.integration,
    owner: row.owner,
    name: row.name,
    authType: row.authType,
    settings: row.settings,
    secretId: row.secretId,
    credentialVersion: row.credentialVersion,
    status: row.status,
    lastUsedAt: row.lastUsedAt,
  };
}

function view(row: typeof schema.connections.$inferSelect): ConnectionView {
  return {
    id: row.id,
    integration: row.integration,
    name: row.name,
    shared: row.owner === SHARED_OWNER,
    authType: row.authType,
    settings: row.settings,
    maskedHint: row.maskedHint,
    status: healthOf(row, Date.now()),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** A token that will die within this window, with nothing to renew it, shows as `expiring`. */
const EXPIRING_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The status a person should see: the stored one, except that an OAuth token which expires
 * soon and cannot be refreshed is `expiring` (its expiry and renewability are kept in the
 * connection's settings, since neither is secret).
 */
function healthOf(row: typeof schema.connections.$inferSelect, now: number): ConnectionStatus {
  const expiresAt = row.settings.tokenExpiresAt;
  if (row.status === "ok" && typeof expiresAt === "number" && row.settings.renewable !== true && expiresAt - now < EXPIRING_WINDOW_MS) return "expiring";
  return row.status;
}

/** Records a fresh token's expiry (not secret) for the connection's health. */
export async function recordTokenExpiry(db: Database, id: string, expiresAt: number | undefined, renewable: boolean, now: number): Promise<void> {
  const row = await db.select({ settings: schema.connections.settings }).from(schema.connections).where(eq(schema.connections.id, id)).get();
  if (!row) return;
  const settings = { ...row.settings, renewable, ...(expiresAt === undefined ? { tokenExpiresAt: null } : { tokenExpiresAt: expiresAt }) };
  await db.update(schema.connections).set({ settings, updatedAt: now }).where(eq(schema.connections.id, id));
}
