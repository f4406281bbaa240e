/**
 * The daily clean-up (the Worker's cron trigger): executions past their retention are
 * deleted with everything stored for them; runs whose isolate died before they ever paused
 * (nothing can resume them) are closed as `interrupted`; pauses past their expiry become
 * `expired`; abandoned OAuth states are dropped. Old executions go in batches until none is
 * left or the time budget is spent, so retention keeps up with any daily volume the budget
 * allows; what is left after it goes the next day.
 */
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Config } from "../config";
import { database, schema } from "../db";
import { deleteExecutions } from "./store";

const DELETE_BATCH = 200;
/** Deleting stops starting new batches after this long, well inside one invocation. */
const DELETE_BUDGET_MS = 20_000;
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

  let deleted = 0;
  const deadline = Date.now() + DELETE_BUDGET_MS;
  while (Date.now() < deadline) {
    const old = await db
      .select({ id: schema.executions.id })
      .from(schema.executions)
      .where(lt(schema.executions.createdAt, now - retentionMs))
      .limit(DELETE_BATCH);
    await deleteExecutions(
      db,
      old.map((row) => row.id),
    );
    deleted += old.length;
    if (old.length < DELETE_BATCH) break;
  }

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
  return { deleted, interrupted: interrupted.meta.changes, expired: expired.meta.changes };
}
