/** /api/integrations and their connections. Integrations and shared connections: admins only. */
import { requireAdmin } from "../auth";
import { listIntegrationSummaries } from "../catalog";
import { createConnection, deleteConnection, listConnections, parseAuth } from "../connections";
import { database } from "../db";
import { ApiError, json, readJsonObject } from "../http";
import { addIntegration, detectSource, MAX_SPEC_BYTES, refreshIntegration, removeIntegration, requireIntegration, testConnection, updateIntegration } from "../integrations";
import { completeAuthorization, prepareAuthorizationCode, startAuthorization, type AuthorizationCodeSettings } from "../oauth";
import type { ApiHandler } from "./context";

export const listIntegrationsRoute: ApiHandler = async (_request, env) => {
  const items = await listIntegrationSummaries(database(env.DB));
  return json({ items, total: items.length, nextOffset: null });
};

export const addIntegrationRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  const body = await readJsonObject(request, MAX_SPEC_BYTES + 64 * 1024);
  return json(await addIntegration(env, request.caller, body), 201);
};

export const getIntegrationRoute: ApiHandler = async (request, env) => {
  const db = database(env.DB);
  const slug = request.params.slug!;
  const integration = await requireIntegration(db, slug);
  const summaries = await listIntegrationSummaries(db);
  return json({
    slug: integration.slug,
    kind: integration.kind,
    name: integration.name,
    description: integration.description,
    sourceUrl: integration.sourceUrl,
    baseUrl: integration.baseUrl,
    toolCount: summaries.find((item) => item.slug === slug)?.toolCount ?? 0,
    connections: await listConnections(db, slug, request.caller.identity),
    createdAt: new Date(integration.createdAt).toISOString(),
    updatedAt: new Date(integration.updatedAt).toISOString(),
  });
};

export const patchIntegrationRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  const db = database(env.DB);
  const slug = request.params.slug!;
  await requireIntegration(db, slug);
  const body = await readJsonObject(request);
  const changes: { name?: string; description?: string | null } = {};
  if (body.name !== undefined) {
    if (typeof body.name !== "string" || body.name.trim() === "") throw new ApiError("invalid_request", "name must be a non-empty string", { details: [{ field: "name", problem: "invalid" }] });
    changes.name = body.name.trim();
  }
  if (body.description !== undefined) {
    if (body.description !== null && typeof body.description !== "string") throw new ApiError("invalid_request", "description must be a string", { details: [{ field: "description", problem: "invalid" }] });
    changes.description = body.description as string | null;
  }
  await updateIntegration(db, slug, changes, Date.now());
  return getIntegrationRoute(request, env, undefined as never);
};

export const deleteIntegrationRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  await removeIntegration(env, request.params.slug!);
  return new Response(null, { status: 204 });
};

export const refreshIntegrationRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  return json(await refreshIntegration(env, request.caller, request.params.slug!));
};

export const listConnectionsRoute: ApiHandler = async (request, env) => {
  const db = database(env.DB);
  await requireIntegration(db, request.params.slug!);
  const items = await listConnections(db, request.params.slug!, request.caller.identity);
  return json({ items, total: items.length, nextOffset: null });
};

export const addConnectionRoute: ApiHandler = async (request, env) => {
  const db = database(env.DB);
  const slug = request.params.slug!;
  await requireIntegration(db, slug);
  const integration = await requireIntegration(db, slug);
  const body = await readJsonObject(request);
  let auth = parseAuth(body.auth);
  const { config, identity } = request.caller;
  const authorizationCode = auth.authType === "oauth2" && auth.settings.grant === "authorization_code";
  if (authorizationCode) auth = await prepareAuthorizationCode(auth, integration, new URL(request.url).origin, config);
  const connection = await createConnection(
    db,
    config.secretKey,
    { integration: slug, name: body.name, shared: body.shared, auth, ...(authorizationCode ? { status: "needs_reauth" as const } : {}) },
    identity,
    Date.now(),
  );
  if (!authorizationCode) return json(connection, 201);
  const authorizationUrl = await startAuthorization(db, config.secretKey, connection.id, auth.settings as unknown as AuthorizationCodeSettings, identity, Date.now());
  return json({ ...connection, authorizationUrl }, 201);
};

/** A new authorization URL for an authorization-code connection (e.g. after needs_reauth). */
export const authorizeConnectionRoute: ApiHandler = async (request, env) => {
  const db = database(env.DB);
  const slug = request.params.slug!;
  const { config, identity } = request.caller;
  const shared = request.query.shared === "true";
  if (shared) requireAdmin(identity);
  const connection = (await listConnections(db, slug, identity)).find((item) => item.name === request.params.name && item.shared === shared);
  if (!connection) throw new ApiError("not_found", `No ${shared ? "shared" : "personal"} connection ${request.params.name}`);
  if (connection.authType !== "oauth2" || connection.settings.grant !== "authorization_code") {
    throw new ApiError("invalid_request", "Only OAuth authorization-code connections are authorised in a browser");
  }
  const authorizationUrl = await startAuthorization(db, config.secretKey, connection.id, connection.settings as unknown as AuthorizationCodeSettings, identity, Date.now());
  return json({ authorizationUrl });
};

/**
 * GET /api/oauth/callback: where the authorization server sends the human back. On success
 * it redirects to the console's integration page; errors are JSON like every /api answer.
 */
export const oauthCallbackRoute: ApiHandler = async (request, env) => {
  const { state, code, error, error_description: description } = request.query as Record<string, string | undefined>;
  if (error) throw new ApiError("invalid_request", `The authorization server refused: ${error}${description ? ` (${description})` : ""}`);
  if (!state || !code) throw new ApiError("invalid_request", "The callback needs state and code", { details: [{ field: "state", problem: "required" }, { field: "code", problem: "required" }] });
  const { config, identity } = request.caller;
  const done = await completeAuthorization(database(env.DB), config.secretKey, identity, state, code, config.allowLocalNetwork, Date.now());
  const target = new URL(`/integrations/${encodeURIComponent(done.integration)}`, request.url);
  target.searchParams.set("connected", done.name);
  return new Response(null, { status: 302, headers: { location: target.href, "cache-control": "no-store" } });
};

export const deleteConnectionRoute: ApiHandler = async (request, env) => {
  const shared = request.query.shared === "true";
  await deleteConnection(database(env.DB), request.params.slug!, request.params.name!, shared, request.caller.identity);
  return new Response(null, { status: 204 });
};

export const testConnectionRoute: ApiHandler = async (request, env) => {
  await requireIntegration(database(env.DB), request.params.slug!);
  return json(await testConnection(env, request.caller, request.params.slug!, request.params.name!));
};

export const detectRoute: ApiHandler = async (request) => {
  requireAdmin(request.caller.identity);
  const body = await readJsonObject(request);
  if (typeof body.url !== "string" || !/^https?:\/\//i.test(body.url)) {
    throw new ApiError("invalid_request", "url must be an http(s) URL", { details: [{ field: "url", problem: "invalid" }] });
  }
  return json(await detectSource(body.url, request.caller.config));
};
