/**
 * Integration rows as sources need them on every call (base URL, endpoint, security schemes),
 * cached per isolate for the `catalog` revision a run read: every write to an integration
 * (add, refresh, rename, remove) bumps it, so a warm call reads no integration from D1.
 * Without a revision (calls outside a run: a connection test, a refresh) the row is read.
 */
import { eq } from "drizzle-orm";
import { schema, type Database, type IntegrationRow } from "../db";
import { ExecutorError } from "../errors";

const MAX_CACHED = 500;
let cached: { revision: number; rows: Map<string, IntegrationRow | undefined> } = { revision: -1, rows: new Map() };

/** The integration, or `tool_not_found` when it is gone. */
export async function integrationFor(db: Database, slug: string, catalogRevision?: number): Promise<IntegrationRow> {
  if (catalogRevision !== undefined && cached.revision !== catalogRevision) cached = { revision: catalogRevision, rows: new Map() };
  let row = catalogRevision === undefined ? undefined : cached.rows.get(slug);
  if (catalogRevision === undefined || !cached.rows.has(slug)) {
    row = await db.select().from(schema.integrations).where(eq(schema.integrations.slug, slug)).get();
    if (catalogRevision !== undefined) {
      if (cached.rows.size >= MAX_CACHED) cached.rows.delete(cached.rows.keys().next().value!);
      cached.rows.set(slug, row);
    }
  }
  if (!row) throw new ExecutorError("tool_not_found", `The integration ${slug} is gone`);
  return row;
}
