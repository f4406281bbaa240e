/**
 * Adding, refreshing and removing integrations: the API's verbs over the store. Only admins
 * get here (the routes check). Each kind of source (OpenAPI, GraphQL, MCP) reads its upstream.
 */
import type { Caller } from "../auth";
import { database } from "../db";
import type { Env } from "../env";
import { ApiError } from "../http";
import { ToolError } from "../catalog";
import { applyAuth, createConnection, deleteIntegrationConnections, parseAuth } from "../connections";
import { callCredentials } from "../sources/call-credentials";
import { readGraphql } from "./graphql";
import { readMcp } from "./mcp";
import { readOpenApi } from "./openapi";
import { checkSlug, deriveSlug } from "./slug";
import { deleteIntegration, insertIntegration, replaceTools, requireIntegration, type ToolDiff, type ToolInput } from "./store";

export interface AddIntegrationInput {
  kind?: unknown;
  slug?: unknown;
  name?: unknown;
  url?: unknown;
  spec?: unknown;
  baseUrl?: unknown;
  /** Credentials for reading the source; also saved as the shared connection `default`. */
  auth?: unknown;
}

/** Adds an integration from its source; answers `{slug, kind, name, toolCount}`. */
export async function addIntegration(
  env: Env,
  caller: Caller,
  body: AddIntegrationInput,
): Promise<{ slug: string; kind: string; name: string; toolCount: number; needsConnection?: boolean }> {
  const problems: { field: string; problem: string }[] = [];
  const kind = body.kind as "openapi" | "graphql" | "mcp";
  if (kind !== "openapi" && kind !== "graphql" && kind !== "mcp") problems.push({ field: "kind", problem: "openapi, graphql or mcp" });
  const url = optionalString(body.url, "url", problems);
  const baseUrl = optionalString(body.baseUrl, "baseUrl", problems);
  const name = optionalString(body.name, "name", problems);
  const slugInput = optionalString(body.slug, "slug", problems);
  if (kind === "openapi" && url === undefined && body.spec === undefined) problems.push({ field: "url", problem: "give url or spec" });
  if (kind !== "openapi" && url === undefined) problems.push({ field: "url", problem: `required for ${String(kind)}` });
  if (url !== undefined && kind !== "mcp" && !/^https?:\/\//i.test(url)) problems.push({ field: "url", problem: "an http(s) URL" });
  if (baseUrl !== undefined && !/^https?:\/\//i.test(baseUrl)) problems.push({ field: "baseUrl", problem: "an http(s) URL" });
  if (problems.length > 0) throw new ApiError("invalid_request", problems.map((p) => `${p.field}: ${p.problem}`).join("; "), { details: problems });
  if (body.auth !== undefined && caller.identity.kind !== "user") throw new ApiError("forbidden", "Only a person may set shared credentials");
  const auth = body.auth === undefined ? null : parseAuth(body.auth);
  if (auth && auth.authType === "oauth2") {
    throw new ApiError("invalid_request", "OAuth credentials are added as a connection after the integration", { details: [{ field: "auth", problem: "not oauth2" }] });
  }
  const headers = auth ? applyAuth({ authType: auth.authType, settings: auth.settings, credentials: auth.secret ?? {} }, {}, []).headers : {};

  const db = database(env.DB);
  const now = Date.now();
  let source: { tools: ToolInput[]; title?: string; description?: string | null; baseUrl: string | null; config: Record<string, unknown>; needsConnection?: boolean };
  if (kind === "openapi") {
    const read = await readOpenApi({ url, spec: body.spec, baseUrl }, caller.config);
    source = {
      tools: read.tools,
      title: read.imported.title,
      description: read.imported.description ?? null,
      baseUrl: read.imported.baseUrl,
      config: { securitySchemes: read.imported.securitySchemes, baseUrlOverride: baseUrl ?? null },
    };
  } else if (kind === "graphql") {
    source = { tools: await readGraphql({ url: url!, spec: body.spec, headers }, caller.config), baseUrl: url!, config: {} };
  } else {
    const read = await readMcp({ url: url!, headers, hasCredentials: auth !== null }, caller.config);
    source = { tools: read.tools, title: read.name, baseUrl: url!, config: {}, needsConnection: read.needsConnection };
  }
  if (source.tools.length === 0 && !source.needsConnection) throw new ApiError("invalid_source", "The source offers no tools");
  const hostname = new URL(source.baseUrl ?? url ?? "https://api.invalid").hostname;
  const slug = slugInput ?? deriveSlug(name ?? source.title ?? hostname);
  checkSlug(slug);
  const displayName = name ?? source.title ?? slug;
  await insertIntegration(
    db,
    { slug, kind, name: displayName, description: source.description ?? null, sourceUrl: url ?? null, baseUrl: source.baseUrl, config: source.config, createdBy: caller.identity.id },
    source.tools,
    now,
  );
  if (auth) await createConnection(db, caller.config.secretKey, { integration: slug, name: "default", shared: true, auth }, caller.identity, now);
  return { slug, kind, name: displayName, toolCount: source.tools.length, ...(source.needsConnection ? { needsConnection: true } : {}) };
}

/** Re-reads the integration's source and applies the difference; connections and policies stay. */
export async function refreshIntegration(env: Env, caller: Caller, slug: string): Promise<ToolDiff> {
  const db = database(env.DB);
  const integration = await requireIntegration(db, slug);
  if (!integration.sourceUrl) throw new ApiError("invalid_request", `${slug} was added from a pasted document; there is no URL to read again`);
  if (integration.kind === "openapi") {
    const baseUrlOverride = (integration.config?.baseUrlOverride as string | null | undefined) ?? undefined;
    const read = await readOpenApi({ url: integration.sourceUrl, baseUrl: baseUrlOverride }, caller.config);
    return replaceTools(db, slug, read.tools, Date.now(), {
      baseUrl: read.imported.baseUrl,
      config: { ...integration.config, securitySchemes: read.imported.securitySchemes },
    });
  }
  // GraphQL and MCP sources are read with the caller's credentials (their default connection).
  const { auth } = await callCredentials(db, caller, integration, null).catch((error: unknown) => {
    if (error instanceof ToolError) throw new ApiError("invalid_request", error.message);
    throw error;
  });
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

function optionalString(value: unknown, field: string, problems: { field: string; problem: string }[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    problems.push({ field, problem: "a non-empty string" });
    return undefined;
  }
  return value.trim();
}
