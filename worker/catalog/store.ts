/**
 * The catalog: the built-in tools plus every stored tool. Single tools are read from D1 on
 * demand; search runs over a compact per-isolate index, rebuilt when the `catalog` revision
 * changes.
 */
import { asc, count, eq } from "drizzle-orm";
import { schema, type Database } from "../db";
import { BUILTIN_BY_ADDRESS, BUILTIN_INTEGRATION, BUILTIN_TOOLS } from "./builtin-tools";
import { searchEntry, type SearchEntry } from "./search";
import type { DefaultPolicy, JsonObjectSchema, Tool } from "./tool";

export interface IndexEntry extends SearchEntry {
  defaultPolicy: DefaultPolicy;
}

let cachedIndex: { revision: number; entries: IndexEntry[] } | undefined;

/** Every tool, as the search index sees it. */
export async function catalogIndex(db: Database, revision: number): Promise<IndexEntry[]> {
  if (cachedIndex && cachedIndex.revision === revision) return cachedIndex.entries;
  const rows = await db
    .select({ address: schema.tools.address, integration: schema.tools.integration, description: schema.tools.description, defaultPolicy: schema.tools.defaultPolicy })
    .from(schema.tools)
    .orderBy(asc(schema.tools.address));
  const entries: IndexEntry[] = [...BUILTIN_TOOLS, ...rows].map((tool) => ({
    ...searchEntry(tool.address, tool.integration, tool.description),
    defaultPolicy: tool.defaultPolicy,
  }));
  cachedIndex = { revision, entries };
  return entries;
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
  kind: "builtin" | "openapi" | "graphql" | "mcp";
  name: string;
  toolCount: number;
}

/** Every integration with its tool count, the built-in one first. */
export async function listIntegrationSummaries(db: Database): Promise<IntegrationSummary[]> {
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
