/**
 * Adding, refreshing and removing integrations: the API's verbs over the store. Only admins
 * get here (the routes check). Each kind of source reads its upstream; OpenAPI for now.
 */
import type { Caller } from "../auth";
import { database } from "../db";
import type { Env } from "../env";
import { ApiError } from "../http";
import { deleteIntegrationConnections } from "../connections";
import { readOpenApi } from "./openapi";
import { checkSlug, deriveSlug } from "./slug";
import { deleteIntegration, insertIntegration, replaceTools, requireIntegration, type ToolDiff } from "./store";

export interface AddIntegrationInput {
  kind?: unknown;
  slug?: unknown;
  name?: unknown;
  url?: unknown;
  spec?: unknown;
  baseUrl?: unknown;
}

/** Adds an integration from its source; answers `{slug, kind, toolCount}`. */
export async function addIntegration(env: Env, caller: Caller, body: AddIntegrationInput): Promise<{ slug: string; kind: string; name: string; toolCount: number }> {
  const problems: { field: string; problem: string }[] = [];
  if (body.kind !== "openapi") {
    problems.push({ field: "kind", problem: body.kind === "graphql" || body.kind === "mcp" ? `${body.kind} integrations are not available yet` : "openapi" });
  }
  const url = optionalString(body.url, "url", problems);
  const baseUrl = optionalString(body.baseUrl, "baseUrl", problems);
  const name = optionalString(body.name, "name", problems);
  const slugInput = optionalString(body.slug, "slug", problems);
  if (url === undefined && body.spec === undefined) problems.push({ field: "url", problem: "give url or spec" });
  if (url !== undefined && !/^https?:\/\//i.test(url)) problems.push({ field: "url", problem: "an http(s) URL" });
  if (baseUrl !== undefined && !/^https?:\/\//i.test(baseUrl)) problems.push({ field: "baseUrl", problem: "an http(s) URL" });
  if (problems.length > 0) throw new ApiError("invalid_request", problems.map((p) => `${p.field}: ${p.problem}`).join("; "), { details: problems });

  const source = await readOpenApi({ url, spec: body.spec, baseUrl }, caller.config);
  const slug = slugInput ?? deriveSlug(name ?? source.imported.title ?? new URL(source.imported.baseUrl!).hostname);
  checkSlug(slug);
  if (source.tools.length === 0) throw new ApiError("invalid_source", "The spec has no operations");
  const now = Date.now();
  await insertIntegration(
    database(env.DB),
    {
      slug,
      kind: "openapi",
      name: name ?? source.imported.title ?? slug,
      description: source.imported.description ?? null,
      sourceUrl: url ?? null,
      baseUrl: source.imported.baseUrl,
      config: { securitySchemes: source.imported.securitySchemes, baseUrlOverride: baseUrl ?? null },
      createdBy: caller.identity.id,
    },
    source.tools,
    now,
  );
  return { slug, kind: "openapi", name: name ?? source.imported.title ?? slug, toolCount: source.tools.length };
}

/** Re-reads the integration's source and applies the difference; connections and policies stay. */
export async function refreshIntegration(env: Env, caller: Caller, slug: string): Promise<ToolDiff> {
  const db = database(env.DB);
  const integration = await requireIntegration(db, slug);
  if (!integration.sourceUrl) throw new ApiError("invalid_request", `${slug} was added from a pasted spec; there is no URL to read again`);
  const baseUrlOverride = (integration.config?.baseUrlOverride as string | null | undefined) ?? undefined;
  const source = await readOpenApi({ url: integration.sourceUrl, baseUrl: baseUrlOverride }, caller.config);
  return replaceTools(db, slug, source.tools, Date.now(), {
    baseUrl: source.imported.baseUrl,
    config: { ...integration.config, securitySchemes: source.imported.securitySchemes },
  });
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
