/**
 * Writes finished executions to the history in small groups: every record that finishes
 * within FLUSH_DELAY_MS in this isolate goes to D1 in one batch. Each request hands the
 * shared flush to `waitUntil`, so the isolate stays alive until its record is written; the
 * trade-off is that a crash inside that window loses those records (their results were
 * already answered). If the group's batch fails, each record is written on its own, and one
 * that still cannot be written is stored as `failed` / `internal` (saveHistoryOrFailure):
 * never silently lost. Paused executions never come here: they are written before answering.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db";
import { executionStatements, saveHistoryOrFailure, type ExecutionRecord, type JournalEntry } from "./store";

const FLUSH_DELAY_MS = 20;
const MAX_GROUP = 40;

interface Pending {
  db: Database;
  record: ExecutionRecord;
  entries: JournalEntry[];
}

let pending: Pending[] = [];
let scheduled: Promise<void> | null = null;

/** Queues a finished execution's record; returns the flush to hand to `waitUntil`. */
export function recordExecution(db: Database, record: ExecutionRecord, entries: JournalEntry[]): Promise<void> {
  pending.push({ db, record, entries });
  if (pending.length >= MAX_GROUP) return flush();
  scheduled ??= new Promise<void>((resolve) => setTimeout(resolve, FLUSH_DELAY_MS)).then(flush);
  return scheduled;
}

async function flush(): Promise<void> {
  const group = pending;
  pending = [];
  scheduled = null;
  if (group.length === 0) return;
  const db = group[0]!.db;
  try {
    const statements = group.flatMap((item) => executionStatements(item.db, item.record, item.entries));
    await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  } catch (error) {
    // One bad record must not take the others down with it: write them one by one.
    console.error("history batch failed; writing records one by one", error);
    for (const item of group) {
      await saveHistoryOrFailure(item.db, item.record, item.entries).catch((inner) => console.error(`recording execution ${item.record.id} failed`, inner));
    }
  }
}
