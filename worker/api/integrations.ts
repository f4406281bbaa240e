/** /api/integrations and their connections. Integrations and shared connections: admins only. */
import { requireAdmin } from "../auth";
import { listIntegrationSummaries } from "../catalog";
import { createConnection, deleteConnection, listConnections, parseAuth } from "../connections";
import { database } from "../db";
import { ApiError, json, readJsonObject } from "../http";
import { addIntegration, detectSource, MAX_SPEC_BYTES, refreshIntegration, removeIntegration, requireIntegration, testConnection, updateIntegration } from "../integrations";
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
  const body = await readJsonObject(request);
  const auth = parseAuth(body.auth);
  const connection = await createConnection(db, request.caller.config.secretKey, { integration: slug, name: body.name, shared: body.shared, auth }, request.caller.identity, Date.now());
  return json(connection, 201);
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
