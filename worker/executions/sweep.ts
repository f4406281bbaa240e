/**
 * The daily clean-up (the Worker's cron trigger): executions past their retention are
 * deleted with everything stored for them; runs whose isolate died before they ever paused
 * (nothing can resume them) are closed as `interrupted`; pauses past their expiry become
 * `expired`; abandoned OAuth states and MCP elicitations nobody waits for are dropped. Bounded work per run, so it fits one
 * invocation; the next day continues.
 */
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Config } from "../config";
import { database, schema } from "../db";
import { deleteExecutions } from "./store";

const DELETE_BATCH = 200;
/** A never-paused run still `running` this long after its wall time lost its isolate. */
const ABANDONED_GRACE_MS = 10 * 60_000;

export interface SweepReport {
  deleted: number;
  interrupted: number;
  expired: number;
}

/** Runs the clean-up once. */
export async function sweepExecutions(env: Env, config: Config, now: number): Promise<SweepReport> {
  const db = database(env.DB);
  const retentionMs = config.executionRetentionMs;

  const old = await db
    .select({ id: schema.executions.id })
    .from(schema.executions)
    .where(lt(schema.executions.createdAt, now - retentionMs))
    .limit(DELETE_BATCH);
  await deleteExecutions(
    db,
    old.map((row) => row.id),
  );

  const abandonedBefore = now - config.sandbox.wallTimeMs - ABANDONED_GRACE_MS;
  const interrupted = await db
    .update(schema.executions)
    .set({ status: "failed", error: { code: "interrupted", message: "The run's isolate stopped before it finished" }, finishedAt: now, updatedAt: now })
    .where(and(eq(schema.executions.status, "running"), isNull(schema.executions.pausedSeq), lt(schema.executions.updatedAt, abandonedBefore)));
  const expired = await db
    .update(schema.executions)
    .set({ status: "expired", error: { code: "expired", message: "Nobody decided the paused call in time" }, finishedAt: now, updatedAt: now })
    .where(and(eq(schema.executions.status, "paused"), lt(schema.executions.expiresAt, now)));
  await db.delete(schema.oauthStates).where(lt(schema.oauthStates.expiresAt, now));
  await db.delete(schema.mcpElicitations).where(lt(schema.mcpElicitations.expiresAt, now));
  return { deleted: old.length, interrupted: interrupted.meta.changes, expired: expired.meta.changes };
}
