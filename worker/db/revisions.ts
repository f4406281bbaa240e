/**
 * The change counters behind every per-isolate cache (see `revisions` in schema.ts). A write
 * bumps its counter in the same batch; a reader that sees a new value reloads.
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { revisions } from "./schema";

/**
 * `catalog`: integrations and tools; `policies`: the rules; `connections`: which connections
 * exist and their credentials (not their health or last use).
 */
export type RevisionName = "catalog" | "policies" | "connections";

export type Revisions = Record<RevisionName, number>;

/** Current counters, one query. */
export async function readRevisions(db: Database): Promise<Revisions> {
  const rows = await db.select().from(revisions);
  const values = Object.fromEntries(rows.map((row) => [row.name, row.value]));
  return { catalog: values.catalog ?? 0, policies: values.policies ?? 0, connections: values.connections ?? 0 };
}

/**
 * The statement that bumps a counter; put it in the same batch as the write it announces.
 * An upsert, so a counter that has no row yet starts at 1 instead of silently staying at 0.
 */
export function bumpRevision(db: Database, name: RevisionName) {
  return db
    .insert(revisions)
    .values({ name, value: 1 })
    .onConflictDoUpdate({ target: revisions.name, set: { value: sql`${revisions.value} + 1` } });
}
