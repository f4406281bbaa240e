/** Recording the identities that reach the Worker. */
import { sql } from "drizzle-orm";
import type { Identity } from "../auth";
import type { Database } from "./client";
import { identities } from "./schema";

/** Inserts the identity on first sight, else refreshes what Access says about it and last-seen. */
export async function recordIdentity(db: Database, identity: Identity, now: number): Promise<void> {
  const row = {
    id: identity.id,
    kind: identity.kind,
    email: identity.email ?? null,
    commonName: identity.kind === "service" ? (identity.subject ?? null) : null,
    name: identity.name ?? null,
    groups: identity.groups ?? null,
    firstSeenAt: now,
    lastSeenAt: now,
  };
  await db
    .insert(identities)
    .values(row)
    .onConflictDoUpdate({
      target: identities.id,
      set: { email: row.email, name: row.name, groups: sql`excluded.groups`, lastSeenAt: now },
    });
}
