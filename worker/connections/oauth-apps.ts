/**
 * OAuth apps: a client an admin registers once with a provider (Google, Microsoft, GitHub,
 * Slack, Atlassian or any OAuth 2.0 server), which authorization-code connections use by id
 * so that a person only consents. The row holds what may be shown; the client secret is
 * sealed in `secrets` under `oauth-app:<id>`, like a connection's, and is never returned: a
 * view carries its masked hint. Connections keep only the app's id, so rotating the secret
 * (or any other field) applies to every connection at its next token request.
 *
 * Removing an app that connections use is refused (409, naming how many) unless the caller
 * asks to remove those connections with it: their refresh tokens are bound to the app's
 * client, so they could not be kept working without it. Writes are for admins (the routes
 * check). It does not run flows (authorization.ts) or read tokens (oauth-tokens.ts).
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { Identity } from "../auth";
import { bumpRevision, inGroupsOf, MAX_BOUND_PARAMETERS, schema, type Database, type OAuthAppRow, type OAuthProviderId } from "../db";
import { ExecutorError, type ErrorCode } from "../errors";
import { requireSecureEndpoint } from "../oauth";
import { deleteSecret, putSecret, SecretDecryptionError, secretKeyring, type SecretKeys } from "../secrets";
import { mask } from "./auth-input";
import { OAUTH_PROVIDER_IDS, OAUTH_PROVIDERS, providerEndpoint, type OAuthProvider } from "./oauth-providers";

/** Authorization parameters the flow sets itself; an app cannot override them. */
const RESERVED_PARAMS = ["response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope", "user_scope", "resource"];

const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength, pattern: "\\S" }) as const;
const url = { type: "string", pattern: "^[Hh][Tt][Tt][Pp][Ss]?://", maxLength: 2048 } as const;
const scopeList = { type: "array", items: { type: "string", minLength: 1, maxLength: 512, pattern: "^\\S+$" }, maxItems: 100 } as const;
const extraParams = {
  type: "object",
  maxProperties: 20,
  propertyNames: { pattern: "^[A-Za-z0-9_.-]{1,64}$", not: { enum: RESERVED_PARAMS } },
  additionalProperties: { type: "string", maxLength: 1000 },
} as const;
const tenant = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$" } as const;

/** The JSON Schema of `POST /api/oauth-apps`. Endpoints are required only for a `generic` app. */
export const OAUTH_APP_INPUT_SCHEMA = {
  type: "object",
  required: ["name", "provider", "clientId"],
  additionalProperties: false,
  properties: {
    name: text(100),
    provider: { enum: OAUTH_PROVIDER_IDS },
    authorizationUrl: url,
    tokenUrl: url,
    clientId: text(1024),
    clientSecret: text(8192),
    scopes: scopeList,
    extraParams,
    tenant: { ...tenant, description: "Microsoft only: common, organizations, consumers, a tenant id or domain (default common)" },
    botScopes: { ...scopeList, description: "Slack only: the bot's scopes, sent as `scope` (the connection's go in `user_scope`)" },
  },
  allOf: [
    { if: { properties: { provider: { const: "generic" } } }, then: { required: ["authorizationUrl", "tokenUrl"] } },
    { if: { not: { properties: { provider: { const: "microsoft" } } } }, then: { properties: { tenant: false } } },
    { if: { not: { properties: { provider: { const: "slack" } } } }, then: { properties: { botScopes: false } } },
  ],
} as const;

/** The JSON Schema of `PATCH /api/oauth-apps/:id`: any field but the provider; null resets an endpoint, the secret or the tenant. */
export const OAUTH_APP_PATCH_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: text(100),
    authorizationUrl: { anyOf: [url, { type: "null" }] },
    tokenUrl: { anyOf: [url, { type: "null" }] },
    clientId: text(1024),
    clientSecret: { anyOf: [text(8192), { type: "null" }] },
    scopes: scopeList,
    extraParams,
    tenant: { anyOf: [tenant, { type: "null" }] },
    botScopes: scopeList,
  },
} as const;

/** What `OAUTH_APP_INPUT_SCHEMA` admits. */
export interface OAuthAppInput {
  name: string;
  provider: OAuthProviderId;
  authorizationUrl?: string;
  tokenUrl?: string;
  clientId: string;
  clientSecret?: string;
  scopes?: string[];
  extraParams?: Record<string, string>;
  tenant?: string;
  botScopes?: string[];
}

/** What `OAUTH_APP_PATCH_SCHEMA` admits. */
export type OAuthAppChanges = Partial<Omit<OAuthAppInput, "provider" | "authorizationUrl" | "tokenUrl" | "clientSecret" | "tenant">> & {
  authorizationUrl?: string | null;
  tokenUrl?: string | null;
  clientSecret?: string | null;
  tenant?: string | null;
};

/** What anyone may see of an app: never its secret. */
export interface OAuthAppView {
  id: string;
  name: string;
  provider: OAuthProviderId;
  /** The endpoints in effect (the provider's, tenant filled in, unless overridden). */
  authorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  /** The client secret's first and last characters; null for a public client. */
  maskedHint: string | null;
  scopes: string[];
  extraParams: Record<string, string>;
  tenant: string | null;
  botScopes: string[];
  /** How many connections use the app. */
  connectionCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What a flow or a refresh needs from an app, secret included: only for the request that sends it. */
export interface OAuthAppClient {
  appId: string;
  provider: OAuthProvider;
  clientId: string;
  clientSecret?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  scopes: string[];
  botScopes: string[];
  extraParams: Record<string, string>;
}

/** Registers an app; its endpoints must be https (loopback http only with ALLOW_LOCAL_NETWORK). */
export async function createOAuthApp(db: Database, keys: SecretKeys, input: OAuthAppInput, identity: Identity, allowLocalNetwork: boolean, now: number): Promise<OAuthAppView> {
  const id = `app_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const row: OAuthAppRow = {
    id,
    name: input.name.trim(),
    provider: input.provider,
    authorizationUrl: input.authorizationUrl ?? null,
    tokenUrl: input.tokenUrl ?? null,
    clientId: input.clientId,
    secretId: input.clientSecret ? secretIdOf(id) : null,
    maskedHint: input.clientSecret ? mask(input.clientSecret) : null,
    scopes: input.scopes ?? [],
    extraParams: input.extraParams ?? {},
    settings: settingsOf(input.tenant ?? null, input.botScopes ?? []),
    createdBy: identity.id,
    createdAt: now,
    updatedAt: now,
  };
  effectiveEndpoints(row, allowLocalNetwork, "invalid_request");
  if (input.clientSecret) await putSecret(db, await secretKeyring(keys), secretIdOf(id), JSON.stringify({ clientSecret: input.clientSecret }), now);
  try {
    await db.insert(schema.oauthApps).values(row);
  } catch (error) {
    if (row.secretId) await deleteSecret(db, row.secretId);
    throw error;
  }
  return view(row, 0, allowLocalNetwork);
}

/** Every app, by name. */
export async function listOAuthApps(db: Database, allowLocalNetwork: boolean): Promise<OAuthAppView[]> {
  const [rows, counts] = await Promise.all([db.select().from(schema.oauthApps).orderBy(schema.oauthApps.name, schema.oauthApps.id), connectionCounts(db)]);
  return rows.map((row) => view(row, counts.get(row.id) ?? 0, allowLocalNetwork));
}

/** One app, or `not_found`. */
export async function getOAuthApp(db: Database, id: string, allowLocalNetwork: boolean): Promise<OAuthAppView> {
  const row = await requireRow(db, id);
  return view(row, (await connectionCounts(db, id)).get(id) ?? 0, allowLocalNetwork);
}

/** Changes an app. A new secret replaces the sealed one; connections use it from their next token request. */
export async function updateOAuthApp(db: Database, keys: SecretKeys, id: string, changes: OAuthAppChanges, allowLocalNetwork: boolean, now: number): Promise<OAuthAppView> {
  const current = await requireRow(db, id);
  const provider = OAUTH_PROVIDERS[current.provider];
  if (changes.tenant !== undefined && changes.tenant !== null && !provider.tenant) {
    throw new ExecutorError("invalid_request", `${provider.name} apps have no tenant`, { details: [{ field: "tenant", problem: "only for microsoft" }] });
  }
  if (changes.botScopes !== undefined && !provider.botScopes) {
    throw new ExecutorError("invalid_request", `${provider.name} apps have no bot scopes`, { details: [{ field: "botScopes", problem: "only for slack" }] });
  }
  const settings = current.settings as { tenant?: string | null; botScopes?: string[] };
  const next: OAuthAppRow = {
    ...current,
    ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
    ...(changes.clientId !== undefined ? { clientId: changes.clientId } : {}),
    ...(changes.scopes !== undefined ? { scopes: changes.scopes } : {}),
    ...(changes.extraParams !== undefined ? { extraParams: changes.extraParams } : {}),
    ...(changes.authorizationUrl !== undefined ? { authorizationUrl: changes.authorizationUrl } : {}),
    ...(changes.tokenUrl !== undefined ? { tokenUrl: changes.tokenUrl } : {}),
    settings: settingsOf(changes.tenant !== undefined ? changes.tenant : (settings.tenant ?? null), changes.botScopes ?? settings.botScopes ?? []),
    updatedAt: now,
  };
  if (changes.clientSecret !== undefined) {
    next.secretId = changes.clientSecret === null ? null : secretIdOf(id);
    next.maskedHint = changes.clientSecret === null ? null : mask(changes.clientSecret);
  }
  effectiveEndpoints(next, allowLocalNetwork, "invalid_request");
  if (changes.clientSecret) await putSecret(db, await secretKeyring(keys), secretIdOf(id), JSON.stringify({ clientSecret: changes.clientSecret }), now);
  const { id: _id, createdAt: _createdAt, createdBy: _createdBy, ...columns } = next;
  await db.update(schema.oauthApps).set(columns).where(eq(schema.oauthApps.id, id));
  if (changes.clientSecret === null) await deleteSecret(db, secretIdOf(id));
  return getOAuthApp(db, id, allowLocalNetwork);
}

/**
 * Removes an app. With connections using it: `conflict` naming how many, unless `cascade`,
 * which removes those connections (and their secrets) in the same batch.
 */
export async function deleteOAuthApp(db: Database, id: string, cascade: boolean): Promise<{ removedConnections: number }> {
  await requireRow(db, id);
  const using = await db.select({ id: schema.connections.id, integration: schema.connections.integration }).from(schema.connections).where(usesApp(id));
  if (using.length > 0 && !cascade) {
    const integrations = new Set(using.map((row) => row.integration)).size;
    throw new ExecutorError(
      "conflict",
      `${using.length} connection${using.length === 1 ? "" : "s"} (in ${integrations} integration${integrations === 1 ? "" : "s"}) use this app: remove them first, or delete with ?cascade=true to remove them too`,
      { details: { connections: using.length, integrations } },
    );
  }
  const connectionIds = using.map((row) => row.id);
  const secretIds = [secretIdOf(id), ...connectionIds.flatMap((connection) => [`connection:${connection}`, `connection:${connection}:token`])];
  await db.batch([
    db.delete(schema.oauthApps).where(eq(schema.oauthApps.id, id)),
    // Every isolate's cached connections are outdated when some are removed.
    ...(connectionIds.length > 0 ? [db.delete(schema.connections).where(inArray(schema.connections.id, connectionIds)), bumpRevision(db, "connections")] : []),
    ...inGroupsOf(secretIds, MAX_BOUND_PARAMETERS).map((ids) => db.delete(schema.secrets).where(inArray(schema.secrets.id, ids))),
  ]);
  return { removedConnections: connectionIds.length };
}

/**
 * The app as a flow or a refresh uses it, its secret opened. `code` is the error for an app
 * that is gone or unusable: `invalid_request` while connecting, `no_connection` on a call.
 */
export async function loadOAuthAppClient(db: Database, keys: SecretKeys, id: string, allowLocalNetwork: boolean, code: ErrorCode): Promise<OAuthAppClient> {
  const joined = await db
    .select({ app: schema.oauthApps, ciphertext: schema.secrets.ciphertext })
    .from(schema.oauthApps)
    .leftJoin(schema.secrets, eq(schema.secrets.id, schema.oauthApps.secretId))
    .where(eq(schema.oauthApps.id, id))
    .get();
  if (!joined) throw new ExecutorError(code, `The OAuth app ${id} no longer exists: an admin removed it`);
  const { app } = joined;
  const endpoints = effectiveEndpoints(app, allowLocalNetwork, code);
  let clientSecret: string | undefined;
  if (app.secretId && joined.ciphertext) {
    let plaintext: string;
    try {
      plaintext = await (await secretKeyring(keys)).decrypt(joined.ciphertext, `secret:${app.secretId}`);
    } catch (error) {
      // Sealed under a key no longer configured (a rotation finished without it): say so, never a 500.
      if (error instanceof SecretDecryptionError) throw new ExecutorError(code, `The OAuth app ${app.name}'s client secret cannot be decrypted with the configured secret key: an admin must set it again`);
      throw error;
    }
    clientSecret = (JSON.parse(plaintext) as { clientSecret?: string }).clientSecret;
  }
  const settings = app.settings as { botScopes?: string[] };
  return {
    appId: app.id,
    provider: OAUTH_PROVIDERS[app.provider],
    clientId: app.clientId,
    ...(clientSecret ? { clientSecret } : {}),
    ...endpoints,
    scopes: app.scopes,
    botScopes: settings.botScopes ?? [],
    extraParams: app.extraParams,
  };
}

function secretIdOf(id: string): string {
  return `oauth-app:${id}`;
}

function settingsOf(tenant: string | null, botScopes: string[]): Record<string, unknown> {
  return { ...(tenant ? { tenant } : {}), ...(botScopes.length > 0 ? { botScopes } : {}) };
}

async function requireRow(db: Database, id: string): Promise<OAuthAppRow> {
  const row = await db.select().from(schema.oauthApps).where(eq(schema.oauthApps.id, id)).get();
  if (!row) throw new ExecutorError("not_found", `No OAuth app ${id}`);
  return row;
}

/** Connections whose settings name this app (`appId`, see auth-input.ts). */
function usesApp(id: string) {
  return sql`json_extract(${schema.connections.settings}, '$.appId') = ${id}`;
}

/** Connections per app id (one app's, or every app's). */
async function connectionCounts(db: Database, id?: string): Promise<Map<string, number>> {
  const appId = sql<string | null>`json_extract(${schema.connections.settings}, '$.appId')`;
  const rows = await db
    .select({ appId, n: sql<number>`count(*)` })
    .from(schema.connections)
    .where(id === undefined ? sql`${appId} IS NOT NULL` : usesApp(id))
    .groupBy(appId);
  return new Map(rows.filter((row) => row.appId !== null).map((row) => [row.appId as string, Number(row.n)]));
}

/**
 * The endpoints in effect, checked: a secret and people's codes are sent to them, so they
 * must use TLS (RFC 6749 §3.1, §3.2), like any endpoint a spec names.
 */
function effectiveEndpoints(row: OAuthAppRow, allowLocalNetwork: boolean, code: ErrorCode): { authorizationEndpoint: string; tokenEndpoint: string } {
  const provider = OAUTH_PROVIDERS[row.provider];
  const tenant = ((row.settings as { tenant?: string }).tenant ?? null) || null;
  const authorization = providerEndpoint(provider, "authorizationUrl", row.authorizationUrl, tenant);
  const token = providerEndpoint(provider, "tokenUrl", row.tokenUrl, tenant);
  if (!authorization || !token) {
    throw new ExecutorError(code, "A generic OAuth app needs authorizationUrl and tokenUrl", {
      details: [{ field: authorization ? "tokenUrl" : "authorizationUrl", problem: "required for a generic app" }],
    });
  }
  return {
    authorizationEndpoint: requireSecureEndpoint(authorization, "authorization endpoint", allowLocalNetwork, code),
    tokenEndpoint: requireSecureEndpoint(token, "token endpoint", allowLocalNetwork, code),
  };
}

function view(row: OAuthAppRow, connectionCount: number, allowLocalNetwork: boolean): OAuthAppView {
  const provider = OAUTH_PROVIDERS[row.provider];
  const settings = row.settings as { tenant?: string; botScopes?: string[] };
  let endpoints: { authorizationEndpoint: string; tokenEndpoint: string };
  try {
    endpoints = effectiveEndpoints(row, allowLocalNetwork, "invalid_request");
  } catch {
    // Stored under another ALLOW_LOCAL_NETWORK: shown as stored; using it fails with the reason.
    const tenant = settings.tenant ?? null;
    endpoints = {
      authorizationEndpoint: providerEndpoint(provider, "authorizationUrl", row.authorizationUrl, tenant) ?? "",
      tokenEndpoint: providerEndpoint(provider, "tokenUrl", row.tokenUrl, tenant) ?? "",
    };
  }
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    authorizationUrl: endpoints.authorizationEndpoint,
    tokenUrl: endpoints.tokenEndpoint,
    clientId: row.clientId,
    maskedHint: row.maskedHint,
    scopes: row.scopes,
    extraParams: row.extraParams,
    tenant: provider.tenant ? (settings.tenant ?? provider.tenant.default) : null,
    botScopes: settings.botScopes ?? [],
    connectionCount,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
