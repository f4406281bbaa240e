/**
 * Where a URL-mode elicitation's answer meets the call waiting for it. /mcp sends
 * `elicitation/create` on the SSE stream of the `tools/call` that needs it, but the client
 * answers with a POST of its own, which any isolate may receive: so the answer is written
 * here (D1) and the waiting call reads it. Only the identity the elicitation was sent to can
 * answer it. A row lives as long as the wait; the waiting call deletes it, the daily sweep
 * drops any left over.
 */
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Database } from "../db";

export type ElicitationAction = "accept" | "decline" | "cancel";

/** Elicitation ids (also the JSON-RPC id of the request), so an answer can be told from others. */
export const ELICITATION_ID_PREFIX = "el_";

/** Records that an elicitation was sent to `identityId`; returns its id. */
export async function openElicitation(db: Database, identityId: string, now: number, ttlMs: number): Promise<string> {
  const id = `${ELICITATION_ID_PREFIX}${crypto.randomUUID().replaceAll("-", "")}`;
  await db.insert(schema.mcpElicitations).values({ id, identityId, action: null, createdAt: now, expiresAt: now + ttlMs });
  return id;
}

/** Stores the client's answer; false when the id is unknown, answered already, or another identity's. */
export async function recordElicitationAnswer(db: Database, id: string, identityId: string, action: ElicitationAction): Promise<boolean> {
  const result = await db
    .update(schema.mcpElicitations)
    .set({ action })
    .where(and(eq(schema.mcpElicitations.id, id), eq(schema.mcpElicitations.identityId, identityId), isNull(schema.mcpElicitations.action)));
  return result.meta.changes === 1;
}

/** The answer so far, or null (none yet, or no such elicitation). */
export async function elicitationAnswer(db: Database, id: string): Promise<ElicitationAction | null> {
  const row = await db.select({ action: schema.mcpElicitations.action }).from(schema.mcpElicitations).where(eq(schema.mcpElicitations.id, id)).get();
  return row?.action ?? null;
}

/** Forgets an elicitation once nobody waits for it. */
export async function closeElicitation(db: Database, id: string): Promise<void> {
  await db.delete(schema.mcpElicitations).where(eq(schema.mcpElicitations.id, id));
}
