/**
 * Integration rows as sources need them on every call (base URL, endpoint, security schemes),
 * cached briefly per isolate. They change only on refresh or edit, and a few seconds of
 * staleness cannot send credentials anywhere new: a removed integration's tools are gone
 * from the catalog at once (its revision check), and the outbound guard binds credentials
 * to the origin of the row it is given.
 */
import { eq } from "drizzle-orm";
import { schema, type Database, type IntegrationRow } from "../db";
import { ExecutorError } from "../errors";

const CACHE_MS = 5_000;
const rows = new Map<string, { row: IntegrationRow | undefined; at: number }>();

/** The integration, or `tool_not_found` when it is gone. */
export async function integrationFor(db: Database, slug: string): Promise<IntegrationRow> {
  const cached = rows.get(slug);
  let row = cached && Date.now() - cached.at < CACHE_MS ? cached.row : undefined;
  if (!cached || Date.now() - cached.at >= CACHE_MS) {
    row = await db.select().from(schema.integrations).where(eq(schema.integrations.slug, slug)).get();
    rows.set(slug, { row, at: Date.now() });
  }
  if (!row) throw new ExecutorError("tool_not_found", `The integration ${slug} is gone`);
  return row;
}
