/**
 * Integrations and their tools in D1. A whole import (the integration row and every tool) is
 * one atomic batch, so a failed import leaves nothing behind. Tool rows go in multi-row
 * inserts that respect D1's 100 bound parameters per statement.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { bumpRevision, inGroupsOf, MAX_BOUND_PARAMETERS, schema, type Database } from "../db";
import type { IntegrationRow, ToolRow } from "../db";
import { storedSearchDocument, type SourceTool } from "../catalog";
import { ExecutorError } from "../errors";

/** A tool as an integration supplies it, before it is stored. */
export type ToolInput = SourceTool;

export type IntegrationInput = Omit<IntegrationRow, "createdAt" | "updatedAt">;

const TOOL_COLUMNS = 10;
const ROWS_PER_INSERT = Math.floor(MAX_BOUND_PARAMETERS / TOOL_COLUMNS);

/** Stores a new integration with its tools, atomically. */
export async function insertIntegration(db: Database, integration: IntegrationInput, tools: ToolInput[], now: number): Promise<void> {
  const existing = await db.select({ slug: schema.integrations.slug }).from(schema.integrations).where(eq(schema.integrations.slug, integration.slug)).get();
  if (existing) throw new ExecutorError("conflict", `An integration with slug ${integration.slug} already exists`);
  const statements: BatchItem<"sqlite">[] = [
    db.insert(schema.integrations).values({ ...integration, createdAt: now, updatedAt: now }),
    ...toolInserts(db, integration.slug, tools, now),
    bumpRevision(db, "catalog"),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

export interface ToolDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Replaces an integration's tools with a fresh read of its source; reports what changed. */
export async function replaceTools(db: Database, slug: string, tools: ToolInput[], now: number, integrationChanges: Partial<IntegrationRow>): Promise<ToolDiff> {
  const current = await db.select().from(schema.tools).where(eq(schema.tools.integration, slug));
  const byName = new Map(current.map((row) => [row.name, row]));
  const incoming = new Map(tools.map((tool) => [tool.name, tool]));
  const diff: ToolDiff = { added: [], removed: [], changed: [] };
  const upserts: ToolInput[] = [];
  for (const tool of tools) {
    const old = byName.get(tool.name);
    if (!old) {
      diff.added.push(`${slug}.${tool.name}`);
      upserts.push(tool);
    } else if (fingerprint(old) !== fingerprint(tool)) {
      diff.changed.push(`${slug}.${tool.name}`);
      upserts.push(tool);
    }
  }
  for (const row of current) if (!incoming.has(row.name)) diff.removed.push(row.address);

  const statements: BatchItem<"sqlite">[] = [
    db.update(schema.integrations).set({ ...integrationChanges, updatedAt: now }).where(eq(schema.integrations.slug, slug)),
    ...inGroupsOf(diff.removed, MAX_BOUND_PARAMETERS).map((addresses) => db.delete(schema.tools).where(inArray(schema.tools.address, addresses))),
    ...inGroupsOf(diff.changed, MAX_BOUND_PARAMETERS).map((addresses) => db.delete(schema.tools).where(inArray(schema.tools.address, addresses))),
    ...toolInserts(db, slug, upserts, now),
    bumpRevision(db, "catalog"),
  ];
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return diff;
}

/** An integration's tools as names and invocations (what a refresh needs to keep names stable). */
export function listToolNames(db: Database, slug: string): Promise<{ name: string; invocation: unknown }[]> {
  return db.select({ name: schema.tools.name, invocation: schema.tools.invocation }).from(schema.tools).where(eq(schema.tools.integration, slug));
}

/** Every integration row, by slug. */
export function listIntegrationRows(db: Database): Promise<IntegrationRow[]> {
  return db.select().from(schema.integrations).orderBy(asc(schema.integrations.slug));
}

/** One integration, or `not_found`. */
export async function requireIntegration(db: Database, slug: string): Promise<IntegrationRow> {
  const row = await db.select().from(schema.integrations).where(eq(schema.integrations.slug, slug)).get();
  if (!row) throw new ExecutorError("not_found", `No integration ${slug}`);
  return row;
}

/** Renames or re-describes an integration. */
export async function updateIntegration(db: Database, slug: string, changes: { name?: string; description?: string | null }, now: number): Promise<void> {
  await db.batch([db.update(schema.integrations).set({ ...changes, updatedAt: now }).where(eq(schema.integrations.slug, slug)), bumpRevision(db, "catalog")]);
}

/** Removes an integration, its tools and the given extra statements (its connections), atomically. */
export async function deleteIntegration(db: Database, slug: string, extra: BatchItem<"sqlite">[]): Promise<void> {
  await db.batch([
    db.delete(schema.tools).where(eq(schema.tools.integration, slug)),
    db.delete(schema.integrations).where(eq(schema.integrations.slug, slug)),
    ...extra,
    bumpRevision(db, "catalog"),
  ]);
}

function toolInserts(db: Database, slug: string, tools: ToolInput[], now: number): BatchItem<"sqlite">[] {
  const rows: ToolRow[] = tools.map((tool) => {
    const address = `${slug}.${tool.name}`;
    return {
      address,
      integration: slug,
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      defaultPolicy: tool.defaultPolicy,
      invocation: tool.invocation,
      searchDocument: storedSearchDocument({ address, integration: slug, description: tool.description, inputSchema: tool.inputSchema, invocation: tool.invocation }),
      updatedAt: now,
    };
  });
  return inGroupsOf(rows, ROWS_PER_INSERT).map((group) => db.insert(schema.tools).values(group));
}

function fingerprint(tool: { description: string; inputSchema: unknown; outputSchema: unknown; defaultPolicy: string; invocation: unknown }): string {
  return JSON.stringify([tool.description, tool.inputSchema, tool.outputSchema, tool.defaultPolicy, tool.invocation]);
}
