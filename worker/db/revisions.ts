/** The change counters behind every per-isolate cache (see `revisions` in schema.ts). */
import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { revisions } from "./schema";

export type RevisionName = "catalog" | "policies";

/** Current counters, one query. */
export async function readRevisions(db: Database): Promise<Record<RevisionName, number>> {
  const rows = await db.select().from(revisions);
  const values = Object.fromEntries(rows.map((row) => [row.name, row.value]));
  return { catalog: values.catalog ?? 0, policies: values.policies ?? 0 };
}

/** The statement that bumps a counter; put it in the same batch as the write it announces. */
export function bumpRevision(db: Database, name: RevisionName) {
  return db
    .update(revisions)
    .set({ value: sql`${revisions.value} + 1` })
    .where(eq(revisions.name, name));
}
