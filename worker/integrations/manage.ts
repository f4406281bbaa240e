/**
 * Adding, refreshing and removing integrations: the API's verbs over the store. Only admins
 * get here (the routes check). Each kind of source (OpenAPI, GraphQL, MCP) reads its upstream.
 */
import type { Caller } from "../auth";
import { AUTH_INPUT_SCHEMA, applyAuth, createConnection, credentialsForCall, deleteIntegrationConnections, parseAuth, type AuthInput } from "../connections";
import { database } from "../db";
import { ExecutorError } from "../errors";
import { readGraphql } from "./graphql";
import { readMcp } from "./mcp";
import { MAX_SPEC_BYTES, readOpenApi } from "./openapi";
import { SLUG_PATTERN, checkSlug, deriveSlug } from "./slug";
import { deleteIntegration, insertIntegration, listToolNames, replaceTools, requireIntegration, type ToolDiff, type ToolInput } from "./store";

/** What `POST /api/integrations` takes. */
export interface AddIntegrationInput {
  kind: "openapi" | "graphql" | "mcp";
  slug?: string;
  name?: string;
  url?: string;
  /** A pasted document: OpenAPI (text or object) or a GraphQL introspection result. */
  spec?: unknown;
  baseUrl?: string;
  /** Credentials for reading the source; also saved as the shared connection `default`. */
  auth?: AuthInput;
}

const httpUrl = { type: "string", pattern: "^[Hh][Tt][Tt][Pp][Ss]?://", maxLength: 2048 };
const nonEmpty = { type: "string", minLength: 1, pattern: "\\S", maxLength: 200 };

/** The JSON Schema of `AddIntegrationInput`. */
export const ADD_INTEGRATION_SCHEMA = {
  type: "object",
  required: ["kind"],
  additionalProperties: false,
  properties: {
    kind: { enum: ["openapi", "graphql", "mcp"] },
    slug: { type: "string", pattern: SLUG_PATTERN },
    name: nonEmpty,
    url: { type: "string", minLength: 1, maxLength: 2048 },
    spec: { type: ["string", "object"] },
    baseUrl: httpUrl,
    auth: AUTH_INPUT_SCHEMA,
  },
  allOf: [
    { if: { properties: { kind: { const: "openapi" } } }, then: { anyOf: [{ required: ["url"] }, { required: ["spec"] }] } },
    { if: { properties: { kind: { const: "graphql" } } }, then: { required: ["url"] } },
    { if: { properties: { kind: { const: "mcp" } } }, then: { required: ["url"] } },
    // An MCP URL may be a stdio command, which readMcp refuses with a reason of its own.
    { if: { properties: { kind: { enum: ["openapi", "graphql"] } } }, then: { properties: { url: httpUrl } } },
  ],
} as const;

/** The largest body `POST /api/integrations` takes: a pasted spec (25 MB) and the rest. */
export const MAX_ADD_INTEGRATION_BYTES = MAX_SPEC_BYTES + 64 * 1024;

/** Adds an integration from its source; answers `{slug, kind, name, toolCount}`. */
export async function addIntegration(
  env: Env,
  caller: Caller,
  input: AddIntegrationInput,
): Promise<{ slug: string; kind: string; name: string; toolCount: number; needsConnection?: boolean }> {
  const { kind, url, baseUrl } = input;
  const name = input.name?.trim();
  if (input.auth !== undefined && caller.identity.kind !== "user") throw new ExecutorError("forbidden", "Only a person may set shared credentials");
  const auth = input.auth === undefined ? null : parseAuth(input.auth);
  if (auth && auth.authType === "oauth2") {
    throw new ExecutorError("invalid_request", "OAuth credentials are added as a connection after the integration", { details: [{ field: "auth", problem: "not oauth2" }] });
  }
  const headers = auth ? applyAuth({ authType: auth.authType, settings: auth.settings, credentials: auth.secret ?? {} }).headers : {};

  const db = database(env.DB);
  const now = Date.now();
  let source: { tools: ToolInput[]; title?: string; description?: string | null; baseUrl: string | null; config: Record<string, unknown>; needsConnection?: boolean };
  if (kind === "openapi") {
    const read = await readOpenApi({ url, spec: input.spec, baseUrl }, caller.config);
    source = {
      tools: read.tools,
      title: read.imported.title,
      description: read.imported.description ?? null,
      baseUrl: read.imported.baseUrl,
      config: { securitySchemes: read.imported.securitySchemes, baseUrlOverride: baseUrl ?? null },
    };
  } else if (kind === "graphql") {
    source = { tools: await readGraphql({ url: url!, spec: input.spec, headers }, caller.config), baseUrl: url!, config: {} };
  } else {
    const read = await readMcp({ url: url!, headers, hasCredentials: auth !== null }, caller.config);
    source = { tools: read.tools, title: read.name, baseUrl: url!, config: {}, needsConnection: read.needsConnection };
  }
  if (source.tools.length === 0 && !source.needsConnection) throw new ExecutorError("invalid_source", "The source offers no tools");
  const hostname = new URL(source.baseUrl ?? url ?? "https://api.invalid").hostname;
  const slug = input.slug ?? deriveSlug(name ?? source.title ?? hostname);
  checkSlug(slug);
  const displayName = name ?? source.title ?? slug;
  await insertIntegration(
    db,
    { slug, kind, name: displayName, description: source.description ?? null, sourceUrl: url ?? null, baseUrl: source.baseUrl, config: source.config, createdBy: caller.identity.id },
    source.tools,
    now,
  );
  if (auth) await createConnection(db, caller.config.secretKeys, { integration: slug, name: "default", shared: true, auth }, caller.identity, now);
  return { slug, kind, name: displayName, toolCount: source.tools.length, ...(source.needsConnection ? { needsConnection: true } : {}) };
}

/** Re-reads the integration's source and applies the difference; connections and policies stay. */
export async function refreshIntegration(env: Env, caller: Caller, slug: string): Promise<ToolDiff> {
  const db = database(env.DB);
  const integration = await requireIntegration(db, slug);
  if (!integration.sourceUrl) throw new ExecutorError("invalid_request", `${slug} was added from a pasted document; there is no URL to read again`);
  if (integration.kind === "openapi") {
    const baseUrlOverride = (integration.config?.baseUrlOverride as string | null | undefined) ?? undefined;
    // Names stay as they were where they still fit, so programs and policies keep working.
    const previousTools = await listToolNames(db, slug);
    const read = await readOpenApi({ url: integration.sourceUrl, baseUrl: baseUrlOverride, previousTools }, caller.config);
    return replaceTools(db, slug, read.tools, Date.now(), {
      baseUrl: read.imported.baseUrl,
      config: { ...integration.config, securitySchemes: read.imported.securitySchemes },
    });
  }
  // GraphQL and MCP sources are read with the caller's credentials (their default connection).
  const { auth } = await credentialsForCall(db, caller, integration, null);
  const tools =
    integration.kind === "graphql"
      ? await readGraphql({ url: integration.sourceUrl, headers: auth.headers }, caller.config)
      : (await readMcp({ url: integration.sourceUrl, headers: auth.headers, hasCredentials: true }, caller.config)).tools;
  return replaceTools(db, slug, tools, Date.now(), {});
}

/** Removes an integration with its tools and connections (and their secrets). */
export async function removeIntegration(env: Env, slug: string): Promise<void> {
  const db = database(env.DB);
  await requireIntegration(db, slug);
  await deleteIntegration(db, slug, await deleteIntegrationConnections(db, slug));
}
