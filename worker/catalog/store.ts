/**
 * The catalog: the built-in tools plus every stored tool. Single tools are read from D1 on
 * demand; search runs over a compact per-isolate index, rebuilt when the `catalog` revision
 * changes, from the search documents stored beside the tools (a missing or outdated one is
 * rebuilt from its tool and stored again).
 */
import { asc, count, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { inGroupsOf, MAX_BOUND_PARAMETERS, schema, type Database, type IntegrationKind } from "../db";
import { BUILTIN_BY_ADDRESS, BUILTIN_INTEGRATION, BUILTIN_TOOLS } from "./builtin-tools";
import { buildSearchIndex, SEARCH_DOCUMENT_VERSION, searchDocumentOf, type SearchDocument, type SearchIndex, type SearchSource } from "./search";
import type { DefaultPolicy, JsonObjectSchema, Tool } from "./tool";

/** The per-isolate search index and what listings need besides it. */
export interface CatalogIndex {
  search: SearchIndex;
  /** Each indexed tool's default policy, by address. */
  defaultPolicies: ReadonlyMap<string, DefaultPolicy>;
}

/** A search document as stored in the tools table: the document and the version that built it. */
export type StoredSearchDocument = SearchDocument & { version: number };

/** The search document to store for a tool. */
export function storedSearchDocument(tool: SearchSource): StoredSearchDocument {
  return { ...searchDocumentOf(tool), version: SEARCH_DOCUMENT_VERSION };
}

let cachedIndex: { revision: number; index: CatalogIndex } | undefined;
let builtinDocuments: SearchDocument[] | undefined;

/** Every tool, as the search index sees it. */
export async function catalogIndex(db: Database, revision: number): Promise<CatalogIndex> {
  if (cachedIndex && cachedIndex.revision === revision) return cachedIndex.index;
  const rows = await db
    .select({ address: schema.tools.address, defaultPolicy: schema.tools.defaultPolicy, searchDocument: schema.tools.searchDocument })
    .from(schema.tools)
    .orderBy(asc(schema.tools.address));
  const stale = rows.filter((row) => row.searchDocument?.version !== SEARCH_DOCUMENT_VERSION).map((row) => row.address);
  const rebuilt = stale.length > 0 ? await rebuildDocuments(db, stale) : new Map<string, SearchDocument>();
  builtinDocuments ??= BUILTIN_TOOLS.map((tool) => searchDocumentOf(tool));
  const documents = [...builtinDocuments, ...rows.map((row) => rebuilt.get(row.address) ?? (row.searchDocument as StoredSearchDocument | null)!)];
  const defaultPolicies = new Map<string, DefaultPolicy>([...BUILTIN_TOOLS, ...rows].map((tool) => [tool.address, tool.defaultPolicy]));
  const index: CatalogIndex = { search: buildSearchIndex(documents), defaultPolicies };
  cachedIndex = { revision, index };
  return index;
}

/**
 * Builds the documents of tools stored before documents were (or by an older version) and
 * stores them, so the next isolate reads them ready-made. Not a catalog change: no revision.
 */
async function rebuildDocuments(db: Database, addresses: string[]): Promise<Map<string, SearchDocument>> {
  const rebuilt = new Map<string, StoredSearchDocument>();
  for (const group of inGroupsOf(addresses, MAX_BOUND_PARAMETERS)) {
    const rows = await db
      .select({ address: schema.tools.address, integration: schema.tools.integration, description: schema.tools.description, inputSchema: schema.tools.inputSchema, invocation: schema.tools.invocation })
      .from(schema.tools)
      .where(inArray(schema.tools.address, group));
    for (const row of rows) rebuilt.set(row.address, storedSearchDocument(row));
  }
  const updates = [...rebuilt].map(([address, document]) => db.update(schema.tools).set({ searchDocument: document }).where(eq(schema.tools.address, address)));
  for (const group of inGroupsOf<BatchItem<"sqlite">>(updates, 50)) await db.batch(group as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return rebuilt;
}

const TOOL_CACHE_SIZE = 500;
let toolCache: { revision: number; tools: Map<string, Tool> } = { revision: -1, tools: new Map() };

/**
 * One tool by address, or null. Tools are cached per isolate for the catalog `revision`, so
 * the same object (and its compiled validator) serves every call until the catalog changes.
 */
export async function getTool(db: Database, address: string, revision: number): Promise<Tool | null> {
  const builtin = BUILTIN_BY_ADDRESS.get(address);
  if (builtin) return builtin;
  if (toolCache.revision !== revision) toolCache = { revision, tools: new Map() };
  const cached = toolCache.tools.get(address);
  if (cached) return cached;
  const row = await db.select().from(schema.tools).where(eq(schema.tools.address, address)).get();
  if (!row) return null;
  const tool = toolFromRow(row);
  if (toolCache.tools.size >= TOOL_CACHE_SIZE) toolCache.tools.delete(toolCache.tools.keys().next().value!);
  toolCache.tools.set(address, tool);
  return tool;
}

function toolFromRow(row: typeof schema.tools.$inferSelect): Tool {
  return {
    address: row.address,
    integration: row.integration,
    name: row.name,
    description: row.description,
    inputSchema: row.inputSchema as JsonObjectSchema,
    outputSchema: (row.outputSchema as JsonObjectSchema | null) ?? null,
    defaultPolicy: row.defaultPolicy,
    invocation: row.invocation,
  };
}

export interface IntegrationSummary {
  slug: string;
  kind: "builtin" | IntegrationKind;
  name: string;
  toolCount: number;
}

/**
 * Every integration with its tool count, the built-in one first. Given the catalog revision
 * the caller has read, the list is kept per isolate for that revision (every change to an
 * integration or its tools bumps it), so a warm read costs no query.
 */
export async function listIntegrationSummaries(db: Database, catalogRevision?: number): Promise<IntegrationSummary[]> {
  if (catalogRevision !== undefined && cachedSummaries?.revision === catalogRevision) return cachedSummaries.summaries;
  const summaries = await readIntegrationSummaries(db);
  if (catalogRevision !== undefined) cachedSummaries = { revision: catalogRevision, summaries };
  return summaries;
}

let cachedSummaries: { revision: number; summaries: IntegrationSummary[] } | undefined;

async function readIntegrationSummaries(db: Database): Promise<IntegrationSummary[]> {
  const [rows, counts] = await Promise.all([
    db.select({ slug: schema.integrations.slug, kind: schema.integrations.kind, name: schema.integrations.name }).from(schema.integrations).orderBy(asc(schema.integrations.slug)),
    db.select({ integration: schema.tools.integration, n: count() }).from(schema.tools).groupBy(schema.tools.integration),
  ]);
  const toolCounts = new Map(counts.map((row) => [row.integration, row.n]));
  return [
    { slug: BUILTIN_INTEGRATION, kind: "builtin", name: "Executor", toolCount: BUILTIN_TOOLS.length },
    ...rows.map((row) => ({ ...row, toolCount: toolCounts.get(row.slug) ?? 0 })),
  ];
}
