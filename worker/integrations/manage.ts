/**
 * Adding, refreshing and removing integrations: the API's verbs over the store. Only admins
 * get here (the routes check). Each kind of source (OpenAPI, GraphQL, MCP, Google Discovery)
 * reads its upstream; a preset (presets/) is turned into the same input first.
 */
import type { Caller } from "../auth";
import { AUTH_INPUT_SCHEMA, applyAuth, createConnection, credentialsForCall, deleteIntegrationConnections, parseAuth, type AuthInput } from "../connections";
import { database, type Database, type IntegrationKind, type IntegrationRow } from "../db";
import { ExecutorError } from "../errors";
import { PRESET_IDS, presetById, type SuggestedPolicy } from "../presets";
import { withoutSandboxes } from "../sandbox";
import { readGoogle } from "./google";
import { readGraphql } from "./graphql";
import { readMcp } from "./mcp";
import { MAX_SPEC_BYTES, readOpenApi } from "./openapi";
import { takePastedSpec, type PastedSpec } from "./pasted-spec";
import { SLUG_PATTERN, checkSlug, deriveSlug } from "./slug";
import { deleteIntegration, insertIntegration, listToolNames, replaceTools, requireIntegration, type ToolDiff, type ToolInput } from "./store";

/** What `POST /api/integrations` takes: a source of a `kind`, or a `preset`. */
export interface AddIntegrationInput {
  kind?: IntegrationKind;
  /** A preset's id (GET /api/presets): its kind, URL, slice and auth are filled in. */
  preset?: string;
  slug?: string;
  name?: string;
  url?: string;
  /** A pasted document: OpenAPI (text or object), a GraphQL introspection result or SDL, a Discovery document. */
  spec?: unknown;
  baseUrl?: string;
  /** OpenAPI only: path globs keeping a slice of a large spec (applied before conversion, kept for refreshes). */
  include?: string[];
  exclude?: string[];
  /** Credentials for reading the source; also saved as the shared connection `default`. */
  auth?: AuthInput;
}

/** What adding answers; a preset's adds its id and the policies it suggests (not created: the console offers them). */
export interface AddedIntegration {
  slug: string;
  kind: IntegrationKind;
  name: string;
  toolCount: number;
  needsConnection?: boolean;
  preset?: string;
  suggestedPolicies?: SuggestedPolicy[];
}

const httpUrl = { type: "string", pattern: "^[Hh][Tt][Tt][Pp][Ss]?://", maxLength: 2048 };
const nonEmpty = { type: "string", minLength: 1, pattern: "\\S", maxLength: 200 };
const globs = { type: "array", items: { type: "string", minLength: 1, maxLength: 500 }, maxItems: 100 };
const hasKind = (kinds: IntegrationKind[]) => ({ required: ["kind"], properties: { kind: { enum: kinds } } });

/** The JSON Schema of `AddIntegrationInput`. */
export const ADD_INTEGRATION_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    kind: { enum: ["openapi", "graphql", "mcp", "google"] },
    preset: { enum: PRESET_IDS, description: "A preset's id (GET /api/presets) instead of kind and url" },
    slug: { type: "string", pattern: SLUG_PATTERN },
    name: nonEmpty,
    url: { type: "string", minLength: 1, maxLength: 2048 },
    spec: { type: ["string", "object"] },
    baseUrl: httpUrl,
    include: { ...globs, description: "OpenAPI: keep only paths matching one of these globs (docs/integrations.md#large-specs)" },
    exclude: { ...globs, description: "OpenAPI: drop paths matching any of these globs" },
    auth: AUTH_INPUT_SCHEMA,
  },
  anyOf: [{ required: ["kind"] }, { required: ["preset"] }],
  allOf: [
    // A preset names its own source: only the slug, name, base URL and shared credentials may be given.
    { if: { required: ["preset"] }, then: { properties: { kind: false, url: false, spec: false, include: false, exclude: false } } },
    { if: hasKind(["openapi", "google"]), then: { anyOf: [{ required: ["url"] }, { required: ["spec"] }] } },
    { if: hasKind(["graphql", "mcp"]), then: { required: ["url"] } },
    // An MCP URL may be a stdio command, which readMcp refuses with a reason of its own.
    { if: hasKind(["openapi", "graphql", "google"]), then: { properties: { url: httpUrl } } },
    // Google's tools call googleapis.com only (sources/google/base-url.ts): no other base URL.
    { if: hasKind(["google"]), then: { not: { required: ["baseUrl"] } } },
    { if: { anyOf: [{ required: ["include"] }, { required: ["exclude"] }] }, then: hasKind(["openapi"]) },
  ],
} as const;

/** The largest body `POST /api/integrations` takes: a pasted spec (25 MB) and the rest. */
export const MAX_ADD_INTEGRATION_BYTES = MAX_SPEC_BYTES + 64 * 1024;

/** Where a source is read from and what is kept in the integration's config to read it again. */
interface SourceInput {
  kind: IntegrationKind;
  url?: string;
  spec?: PastedSpec;
  baseUrl?: string;
  include?: string[];
  exclude?: string[];
  omitParameters?: string[];
  schemaUrl?: string;
  slug?: string;
  name?: string;
  /** What a preset adds to the config: its id, the provider of its OAuth apps and its default scopes. */
  presetConfig: Record<string, unknown>;
  suggestedPolicies?: SuggestedPolicy[];
}

/** Adds an integration from its source or a preset; answers what it added. */
export async function addIntegration(env: Env, caller: Caller, input: AddIntegrationInput): Promise<AddedIntegration> {
  const source = input.preset !== undefined ? fromPreset(input) : fromInput(input);
  const name = source.name?.trim();
  if (input.auth !== undefined && caller.identity.kind !== "user") throw new ExecutorError("forbidden", "Only a person may set shared credentials");
  const auth = input.auth === undefined ? null : parseAuth(input.auth);
  if (auth && auth.authType === "oauth2") {
    throw new ExecutorError("invalid_request", "OAuth credentials are added as a connection after the integration", { details: [{ field: "auth", problem: "not oauth2" }] });
  }
  const headers = auth ? applyAuth({ authType: auth.authType, settings: auth.settings, credentials: auth.secret ?? {} }).headers : {};

  const db = database(env.DB);
  const now = Date.now();
  const { slug, displayName, toolCount, needsConnection } = await memoryHeavy(source.kind, async () => {
    const read = await readSource(source, headers, auth !== null, caller);
    if (read.tools.length === 0 && !read.needsConnection) throw new ExecutorError("invalid_source", "The source offers no tools");
    const hostname = new URL(read.baseUrl ?? source.url ?? "https://api.invalid").hostname;
    const slug = source.slug ?? read.slug ?? deriveSlug(name ?? read.title ?? hostname);
    checkSlug(slug);
    const displayName = name ?? read.title ?? slug;
    await insertIntegration(
      db,
      {
        slug,
        kind: source.kind,
        name: displayName,
        description: read.description ?? null,
        sourceUrl: source.url ?? null,
        baseUrl: read.baseUrl,
        config: { ...read.config, ...source.presetConfig },
        createdBy: caller.identity.id,
      },
      read.tools,
      now,
    );
    return { slug, displayName, toolCount: read.tools.length, needsConnection: read.needsConnection === true };
  });
  if (auth) await createConnection(db, caller.config.secretKeys, { integration: slug, name: "default", shared: true, auth }, caller.identity, now);
  return {
    slug,
    kind: source.kind,
    name: displayName,
    toolCount,
    ...(needsConnection ? { needsConnection: true } : {}),
    ...(input.preset !== undefined ? { preset: input.preset, suggestedPolicies: (source.suggestedPolicies ?? []).map((policy) => ({ ...policy, pattern: `${slug}.${policy.pattern}` })) } : {}),
  };
}

/** Re-reads the integration's source and applies the difference; connections and policies stay. */
export async function refreshIntegration(env: Env, caller: Caller, slug: string): Promise<ToolDiff> {
  const db = database(env.DB);
  const integration = await requireIntegration(db, slug);
  if (!integration.sourceUrl) throw new ExecutorError("invalid_request", `${slug} was added from a pasted document; there is no URL to read again`);
  return memoryHeavy(integration.kind, () => refreshFromSource(db, caller, integration as IntegrationRow & { sourceUrl: string }));
}

/**
 * Reading and storing a spec can take tens of MiB of heap for a few seconds (GitHub's REST
 * spec: see BENCHMARKS.md), so it runs while no program holds sandbox memory
 * (sandbox/slots.ts). An MCP server lists its tools in small pages and may be slow to answer,
 * so programs do not wait for it.
 */
function memoryHeavy<T>(kind: IntegrationKind, job: () => Promise<T>): Promise<T> {
  return kind === "mcp" ? job() : withoutSandboxes(job);
}

async function refreshFromSource(db: Database, caller: Caller, integration: IntegrationRow & { sourceUrl: string }): Promise<ToolDiff> {
  const { slug } = integration;
  const config = integration.config ?? {};
  if (integration.kind === "openapi") {
    const baseUrlOverride = (config.baseUrlOverride as string | null | undefined) ?? undefined;
    // Names stay as they were where they still fit, so programs and policies keep working.
    const previousTools = await listToolNames(db, slug);
    const read = await readOpenApi(
      { url: integration.sourceUrl, baseUrl: baseUrlOverride, filter: filterOf(config), omitParameters: config.omitParameters as string[] | undefined, previousTools },
      caller.config,
    );
    return replaceTools(db, slug, read.tools, Date.now(), {
      baseUrl: read.imported.baseUrl,
      config: { ...config, securitySchemes: read.imported.securitySchemes },
    });
  }
  if (integration.kind === "google") {
    const read = await readGoogle({ url: integration.sourceUrl }, caller.config);
    return replaceTools(db, slug, read.tools, Date.now(), {
      baseUrl: read.imported.baseUrl,
      config: { ...config, securitySchemes: read.imported.securitySchemes, scopes: read.imported.scopes },
    });
  }
  if (integration.kind === "graphql" && typeof config.schemaUrl === "string") {
    // A published schema needs no credentials.
    return replaceTools(db, slug, await readGraphql({ url: integration.sourceUrl, schemaUrl: config.schemaUrl, headers: {} }, caller.config), Date.now(), {});
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

function fromInput(input: AddIntegrationInput): SourceInput {
  const spec = takePastedSpec(input);
  return {
    kind: input.kind!,
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(spec !== undefined ? { spec } : {}),
    ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
    ...(input.include !== undefined ? { include: input.include } : {}),
    ...(input.exclude !== undefined ? { exclude: input.exclude } : {}),
    ...(input.slug !== undefined ? { slug: input.slug } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
    presetConfig: {},
  };
}

/** A preset as the input of its kind; its OAuth provider and scopes go into the config, for connections. */
function fromPreset(input: AddIntegrationInput): SourceInput {
  const preset = presetById(input.preset!);
  if (!preset) throw new ExecutorError("invalid_request", `No preset ${input.preset}`, { details: [{ field: "preset", problem: "unknown" }] });
  if (preset.baseUrlHint && !input.baseUrl) {
    throw new ExecutorError("invalid_request", `The ${preset.name} preset needs baseUrl: ${preset.baseUrlHint}`, { details: [{ field: "baseUrl", problem: "required for this preset" }] });
  }
  if (input.baseUrl && preset.kind === "google") {
    throw new ExecutorError("invalid_request", "A Google integration calls googleapis.com only; it takes no baseUrl", { details: [{ field: "baseUrl", problem: "not for google" }] });
  }
  const oauth = preset.auth.find((option) => option.type === "oauth2" && "provider" in option);
  return {
    kind: preset.kind,
    url: preset.url,
    ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
    ...(preset.include ? { include: [...preset.include] } : {}),
    ...(preset.exclude ? { exclude: [...preset.exclude] } : {}),
    ...(preset.omitParameters ? { omitParameters: [...preset.omitParameters] } : {}),
    ...(preset.schemaUrl ? { schemaUrl: preset.schemaUrl } : {}),
    slug: input.slug ?? preset.id,
    name: input.name ?? preset.name,
    presetConfig: {
      preset: preset.id,
      ...(oauth && "provider" in oauth ? { oauthProvider: oauth.provider, defaultScopes: [...oauth.scopes] } : {}),
    },
    suggestedPolicies: [...preset.policies],
  };
}

interface SourceRead {
  tools: ToolInput[];
  title?: string;
  description?: string | null;
  /** A slug the source suggests (a Google API's name). */
  slug?: string;
  baseUrl: string | null;
  config: Record<string, unknown>;
  needsConnection?: boolean;
}

async function readSource(source: SourceInput, headers: Record<string, string>, hasCredentials: boolean, caller: Caller): Promise<SourceRead> {
  const { kind, url } = source;
  if (kind === "openapi") {
    const filter = filterOf(source);
    const read = await readOpenApi({ url, spec: source.spec, baseUrl: source.baseUrl, filter, omitParameters: source.omitParameters }, caller.config);
    return {
      tools: read.tools,
      title: read.imported.title,
      description: read.imported.description ?? null,
      baseUrl: read.imported.baseUrl,
      config: {
        securitySchemes: read.imported.securitySchemes,
        baseUrlOverride: source.baseUrl ?? null,
        ...filter,
        ...(source.omitParameters ? { omitParameters: source.omitParameters } : {}),
      },
    };
  }
  if (kind === "google") {
    const read = await readGoogle({ url, spec: source.spec }, caller.config);
    const { imported } = read;
    return {
      tools: read.tools,
      title: imported.title,
      description: imported.description ?? null,
      ...(imported.apiName ? { slug: imported.apiName } : {}),
      baseUrl: imported.baseUrl,
      config: { securitySchemes: imported.securitySchemes, scopes: imported.scopes },
    };
  }
  if (kind === "graphql") {
    const tools = await readGraphql({ url: url!, spec: source.spec, ...(source.schemaUrl ? { schemaUrl: source.schemaUrl } : {}), headers }, caller.config);
    return { tools, baseUrl: url!, config: source.schemaUrl ? { schemaUrl: source.schemaUrl } : {} };
  }
  const read = await readMcp({ url: url!, headers, hasCredentials }, caller.config);
  return { tools: read.tools, title: read.name, baseUrl: url!, config: {}, needsConnection: read.needsConnection };
}

/** The include / exclude globs given (or kept in a config), without empty lists. */
function filterOf(from: { include?: unknown; exclude?: unknown }): { include?: string[]; exclude?: string[] } {
  const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? (value as string[]) : undefined);
  const include = list(from.include);
  const exclude = list(from.exclude);
  return { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
}
