/** /api/integrations and their connections. Integrations and shared connections: admins only. */
import { requireAdmin } from "../auth";
import { listIntegrationSummaries } from "../catalog";
import {
  AUTH_INPUT_SCHEMA,
  completeAuthorization,
  createConnection,
  deleteConnection,
  listConnections,
  parseAuth,
  prepareAppAuthorization,
  prepareAuthorizationCode,
  startAuthorization,
  type AuthInput,
  type AuthorizationCodeSettings,
} from "../connections";
import { database } from "../db";
import { ExecutorError } from "../errors";
import { json } from "../http";
import {
  ADD_INTEGRATION_SCHEMA,
  addIntegration,
  authorizationServerOf,
  detectSource,
  MAX_ADD_INTEGRATION_BYTES,
  oauthOfferOf,
  refreshIntegration,
  removeIntegration,
  requireIntegration,
  testConnection,
  updateIntegration,
  type AddIntegrationInput,
} from "../integrations";
import type { ApiHandler, Route } from "./route";
import {
  ADDED_INTEGRATION,
  AUTHORIZATION_URL,
  CONNECTION,
  CONNECTION_TEST,
  DETECTION,
  INTEGRATION,
  INTEGRATION_SUMMARY,
  listOf,
  NEW_CONNECTION,
  SHARED_QUERY,
  TOOL_DIFF,
} from "./schemas";

const getIntegration: ApiHandler = async (request, env) => {
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
    oauth: oauthOfferOf(integration),
    connections: await listConnections(db, slug, request.caller.identity),
    createdAt: new Date(integration.createdAt).toISOString(),
    updatedAt: new Date(integration.updatedAt).toISOString(),
  });
};

export const INTEGRATION_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/integrations",
    summary: "List integrations",
    response: { status: 200, description: "Every integration with its tool count, the built-in one first (not paged)", schema: listOf(INTEGRATION_SUMMARY) },
    handler: async (_request, env) => {
      const items = await listIntegrationSummaries(database(env.DB));
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "POST",
    path: "/api/integrations",
    summary: "Add an integration from its source or a preset (admins)",
    admin: true,
    body: ADD_INTEGRATION_SCHEMA,
    maxBodyBytes: MAX_ADD_INTEGRATION_BYTES,
    response: { status: 201, description: "The integration, read from its source; a preset's also lists the policies it suggests", schema: ADDED_INTEGRATION },
    handler: async (request, env) => json(await addIntegration(env, request.caller, request.input as unknown as AddIntegrationInput), 201),
  },
  {
    method: "POST",
    path: "/api/integrations/detect",
    summary: "Detect what a URL serves (admins)",
    admin: true,
    body: { type: "object", required: ["url"], additionalProperties: false, properties: { url: { type: "string", pattern: "^[Hh][Tt][Tt][Pp][Ss]?://", maxLength: 2048 } } },
    response: { status: 200, description: "Whether the URL serves an OpenAPI document, a GraphQL endpoint or an MCP server", schema: DETECTION },
    handler: async (request) => json(await detectSource(request.input.url as string, request.caller.config)),
  },
  {
    method: "GET",
    path: "/api/integrations/:slug",
    summary: "Read an integration",
    response: { status: 200, description: "The integration, its tool count and the connections you may see", schema: INTEGRATION },
    handler: getIntegration,
  },
  {
    method: "PATCH",
    path: "/api/integrations/:slug",
    summary: "Rename or describe an integration (admins)",
    admin: true,
    body: {
      type: "object",
      additionalProperties: false,
      properties: { name: { type: "string", minLength: 1, pattern: "\\S", maxLength: 200 }, description: { type: ["string", "null"], maxLength: 4000 } },
    },
    response: { status: 200, description: "The integration as changed", schema: INTEGRATION },
    handler: async (request, env, ctx) => {
      const db = database(env.DB);
      const slug = request.params.slug!;
      await requireIntegration(db, slug);
      const { name, description } = request.input as { name?: string; description?: string | null };
      await updateIntegration(db, slug, { ...(name !== undefined ? { name: name.trim() } : {}), ...(description !== undefined ? { description } : {}) }, Date.now());
      return getIntegration(request, env, ctx);
    },
  },
  {
    method: "DELETE",
    path: "/api/integrations/:slug",
    summary: "Remove an integration with its tools and connections (admins)",
    admin: true,
    response: { status: 204, description: "Removed, with its tools, connections and their secrets" },
    handler: async (request, env) => {
      await removeIntegration(env, request.params.slug!);
      return new Response(null, { status: 204 });
    },
  },
  {
    method: "POST",
    path: "/api/integrations/:slug/refresh",
    summary: "Re-read the source and report the difference (admins)",
    admin: true,
    response: { status: 200, description: "The tools added, removed and changed", schema: TOOL_DIFF },
    handler: async (request, env) => json(await refreshIntegration(env, request.caller, request.params.slug!)),
  },
  {
    method: "GET",
    path: "/api/integrations/:slug/connections",
    summary: "List the shared and your own connections",
    response: { status: 200, description: "The connections, masked (not paged)", schema: listOf(CONNECTION) },
    handler: async (request, env) => {
      const db = database(env.DB);
      await requireIntegration(db, request.params.slug!);
      const items = await listConnections(db, request.params.slug!, request.caller.identity);
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "POST",
    path: "/api/integrations/:slug/connections",
    summary: "Add a connection",
    body: {
      type: "object",
      required: ["name", "auth"],
      additionalProperties: false,
      properties: { name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$" }, shared: { type: "boolean" }, auth: AUTH_INPUT_SCHEMA },
    },
    response: { status: 201, description: "The connection, masked; an OAuth authorization-code one also has `authorizationUrl`", schema: NEW_CONNECTION },
    handler: async (request, env) => {
      const db = database(env.DB);
      const integration = await requireIntegration(db, request.params.slug!);
      const input = request.input as { name: string; shared?: boolean; auth: AuthInput };
      const { config, identity } = request.caller;
      let auth = parseAuth(input.auth);
      const authorizationCode = auth.authType === "oauth2" && auth.settings.grant === "authorization_code";
      const origin = new URL(request.url).origin;
      if (authorizationCode && auth.settings.appId !== undefined) {
        // An admin's OAuth app: its client, the integration's default scopes unless the person chose.
        auth = await prepareAppAuthorization(db, auth, oauthOfferOf(integration)?.defaultScopes ?? [], origin, config);
      } else if (authorizationCode) {
        auth = await prepareAuthorizationCode(auth, authorizationServerOf(integration), origin, config);
      }
      const connection = await createConnection(
        db,
        config.secretKeys,
        { integration: integration.slug, name: input.name, shared: input.shared, auth, ...(authorizationCode ? { status: "needs_reauth" as const } : {}) },
        identity,
        Date.now(),
      );
      if (!authorizationCode) return json(connection, 201);
      const authorizationUrl = await startAuthorization(db, config.secretKeys, connection.id, auth.settings as unknown as AuthorizationCodeSettings, identity, config.allowLocalNetwork, Date.now());
      return json({ ...connection, authorizationUrl }, 201);
    },
  },
  {
    method: "DELETE",
    path: "/api/integrations/:slug/connections/:name",
    summary: "Remove your connection, or the shared one (admins)",
    query: [SHARED_QUERY],
    response: { status: 204, description: "Removed, with its secret" },
    handler: async (request, env) => {
      await deleteConnection(database(env.DB), request.params.slug!, request.params.name!, request.queryInput.shared === true, request.caller.identity);
      return new Response(null, { status: 204 });
    },
  },
  {
    method: "POST",
    path: "/api/integrations/:slug/connections/:name/test",
    summary: "Try a connection with a harmless call",
    response: { status: 200, description: "Whether the integration's simplest read worked with these credentials", schema: CONNECTION_TEST },
    handler: async (request, env) => {
      await requireIntegration(database(env.DB), request.params.slug!);
      return json(await testConnection(env, request.caller, request.params.slug!, request.params.name!));
    },
  },
  {
    method: "POST",
    path: "/api/integrations/:slug/connections/:name/authorize",
    summary: "A new authorization URL for an OAuth authorization-code connection",
    query: [SHARED_QUERY],
    response: { status: 200, description: "Where to send the person to authorize", schema: AUTHORIZATION_URL },
    handler: async (request, env) => {
      const db = database(env.DB);
      const { config, identity } = request.caller;
      const shared = request.queryInput.shared === true;
      if (shared) requireAdmin(identity);
      const connection = (await listConnections(db, request.params.slug!, identity)).find((item) => item.name === request.params.name && item.shared === shared);
      if (!connection) throw new ExecutorError("not_found", `No ${shared ? "shared" : "personal"} connection ${request.params.name}`);
      if (connection.authType !== "oauth2" || connection.settings.grant !== "authorization_code") {
        throw new ExecutorError("invalid_request", "Only OAuth authorization-code connections are authorised in a browser");
      }
      const authorizationUrl = await startAuthorization(db, config.secretKeys, connection.id, connection.settings as unknown as AuthorizationCodeSettings, identity, config.allowLocalNetwork, Date.now());
      return json({ authorizationUrl });
    },
  },
  {
    method: "GET",
    path: "/api/oauth/callback",
    summary: "Where OAuth authorization servers send the person back",
    query: [
      { name: "state", schema: { type: "string" }, description: "The flow's state, as sent to the authorization server" },
      { name: "code", schema: { type: "string" }, description: "The authorization code" },
      { name: "error", schema: { type: "string" }, description: "The authorization server's refusal (RFC 6749 §4.1.2.1)" },
      { name: "error_description", schema: { type: "string" }, description: "The refusal's words" },
    ],
    // On success it redirects to the console's integration page; errors are JSON like every /api answer.
    response: { status: 302, description: "To the console's page of the integration, `?connected=<name>`" },
    handler: async (request, env) => {
      const { state, code, error, error_description: description } = request.queryInput as Record<string, string | undefined>;
      if (error) throw new ExecutorError("invalid_request", `The authorization server refused: ${error}${description ? ` (${description})` : ""}`);
      if (!state || !code) {
        throw new ExecutorError("invalid_request", "The callback needs state and code", { details: [{ field: "state", problem: "required" }, { field: "code", problem: "required" }] });
      }
      const { config, identity } = request.caller;
      const done = await completeAuthorization(database(env.DB), config.secretKeys, identity, state, code, config.allowLocalNetwork, Date.now());
      const target = new URL(`/integrations/${encodeURIComponent(done.integration)}`, request.url);
      target.searchParams.set("connected", done.name);
      return new Response(null, { status: 302, headers: { location: target.href, "cache-control": "no-store" } });
    },
  },
];
