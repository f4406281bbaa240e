/**
 * Executions and their call journals in D1. A state change that races with another isolate
 * (resume, approve, cancel) is a compare-and-swap on `version` or on the call's decision:
 * D1 ignores BEGIN/COMMIT, but a conditional UPDATE's `changes` tells who won.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { deleteLargeTexts, inGroupsOf, MAX_BOUND_PARAMETERS, packLargeText, schema, unpackLargeText, type Database } from "../db";
import type { CallStatus, ExecutionStatus, NotificationOutcome } from "../db";

type ExecutionRow = typeof schema.executions.$inferSelect;
type ExecutionCallRow = typeof schema.executionCalls.$inferSelect;

export interface ExecutionRecord {
  id: string;
  identityId: string;
  identityLabel: string;
  code: string;
  status: ExecutionStatus;
  resultJson: string | null;
  error: { code: string; message: string } | null;
  logs: string[];
  seed: number;
  startTime: number;
  origin: string;
  pausedSeq: number | null;
  expiresAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  /** Written only by notifications/ (never by saveExecution), so a run cannot overwrite it. */
  notification?: NotificationOutcome | null;
}

export interface JournalEntry {
  seq: number;
  kind: "tool" | "search" | "describe";
  address: string | null;
  /** Canonical JSON of the arguments: a decision and a replay compare it exactly. */
  args: string;
  connection: string | null;
  policy: "allow" | "approve" | "block" | null;
  status: CallStatus;
  /** JSON of the reply the program saw. */
  reply: string | null;
  decision: "approved" | "declined" | null;
  decidedBy: string | null;
  decidedAt: number | null;
  startedAt: number;
  finishedAt: number | null;
}

/** Writes the execution row and the given journal entries in one atomic batch. */
export async function saveExecution(db: Database, record: ExecutionRecord, entries: JournalEntry[]): Promise<void> {
  const statements = executionStatements(db, record, entries);
  await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
}

/** The statements that write an execution row and journal entries (upserts). */
export function executionStatements(db: Database, record: ExecutionRecord, entries: JournalEntry[]): BatchItem<"sqlite">[] {
  const result = packLargeText(db, `${record.id}:result`, record.resultJson);
  const logs = packLargeText(db, `${record.id}:logs`, JSON.stringify(record.logs));
  const row = {
    id: record.id,
    identityId: record.identityId,
    identityLabel: record.identityLabel,
    code: record.code,
    status: record.status,
    result: result.column,
    error: record.error,
    logs: logs.column,
    seed: record.seed,
    startTime: record.startTime,
    origin: record.origin,
    pausedSeq: record.pausedSeq,
    expiresAt: record.expiresAt,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    finishedAt: record.finishedAt,
    durationMs: record.durationMs,
  };
  const { id: _id, createdAt: _createdAt, ...changes } = row;
  const statements: BatchItem<"sqlite">[] = [
    ...result.statements,
    ...logs.statements,
    db.insert(schema.executions).values(row).onConflictDoUpdate({ target: schema.executions.id, set: changes }),
  ];
  for (const entry of entries) {
    const reply = packLargeText(db, `${record.id}:call:${entry.seq}`, entry.reply);
    const callRow = { executionId: record.id, ...entry, reply: reply.column };
    statements.push(...reply.statements);
    statements.push(
      db
        .insert(schema.executionCalls)
        .values(callRow)
        .onConflictDoUpdate({
          target: [schema.executionCalls.executionId, schema.executionCalls.seq],
          // A decision is written only by decideCall; never overwrite it from a run.
          set: { status: callRow.status, reply: callRow.reply, policy: callRow.policy, finishedAt: callRow.finishedAt },
        }),
    );
  }
  return statements;
}

/** One execution, or null. */
export async function loadExecution(db: Database, id: string): Promise<ExecutionRecord | null> {
  const row = await db.select().from(schema.executions).where(eq(schema.executions.id, id)).get();
  return row ? recordOf(db, row) : null;
}

/** The execution's journal, in program order. */
export async function loadJournal(db: Database, id: string): Promise<JournalEntry[]> {
  const rows = await db.select().from(schema.executionCalls).where(eq(schema.executionCalls.executionId, id)).orderBy(asc(schema.executionCalls.seq));
  return Promise.all(rows.map((row) => entryOf(db, row)));
}

/** Where a page of executions in creation order starts: after this (createdAt, id). */
export interface ExecutionCursor {
  createdAt: number;
  id: string;
}

/**
 * Up to `limit` executions created in [since, until), oldest first, after `cursor`: keyset
 * paging on (created_at, id), so each page is one indexed range read however deep it is.
 * Rows as stored: values kept in `large_texts` are still references (`expandExecution`).
 */
export async function loadExecutionPage(
  db: Database,
  range: { since: number; until: number },
  cursor: ExecutionCursor | null,
  limit: number,
): Promise<ExecutionRow[]> {
  const created = schema.executions.createdAt;
  const after = cursor ? or(gt(created, cursor.createdAt), and(eq(created, cursor.createdAt), gt(schema.executions.id, cursor.id))) : undefined;
  return db
    .select()
    .from(schema.executions)
    .where(and(after, gte(created, range.since), lt(created, range.until)))
    .orderBy(asc(created), asc(schema.executions.id))
    .limit(limit);
}

/** The call rows of several executions (at most MAX_BOUND_PARAMETERS ids per query), by execution id. */
export async function loadCallRows(db: Database, ids: string[]): Promise<Map<string, ExecutionCallRow[]>> {
  const calls = new Map<string, ExecutionCallRow[]>(ids.map((id) => [id, []]));
  for (const group of inGroupsOf(ids, MAX_BOUND_PARAMETERS)) {
    const rows = await db
      .select()
      .from(schema.executionCalls)
      .where(inArray(schema.executionCalls.executionId, group))
      .orderBy(asc(schema.executionCalls.executionId), asc(schema.executionCalls.seq));
    for (const row of rows) calls.get(row.executionId)!.push(row);
  }
  return calls;
}

/** A stored execution and its call rows as a record and journal, large values read back. */
export async function expandExecution(db: Database, row: ExecutionRow, calls: ExecutionCallRow[]): Promise<{ record: ExecutionRecord; journal: JournalEntry[] }> {
  const [record, journal] = await Promise.all([recordOf(db, row), Promise.all(calls.map((call) => entryOf(db, call)))]);
  return { record, journal };
}

async function recordOf(db: Database, row: ExecutionRow): Promise<ExecutionRecord> {
  const [resultJson, logsJson] = await Promise.all([unpackLargeText(db, row.result), unpackLargeText(db, row.logs)]);
  return {
    ...row,
    resultJson,
    error: row.error ?? null,
    logs: logsJson ? (JSON.parse(logsJson) as string[]) : [],
  };
}

async function entryOf(db: Database, { executionId: _executionId, ...row }: ExecutionCallRow): Promise<JournalEntry> {
  return { ...row, reply: await unpackLargeText(db, row.reply) };
}

/** One journal entry (the paused call, usually). */
export async function loadCall(db: Database, id: string, seq: number): Promise<JournalEntry | null> {
  const row = await db
    .select()
    .from(schema.executionCalls)
    .where(and(eq(schema.executionCalls.executionId, id), eq(schema.executionCalls.seq, seq)))
    .get();
  if (!row) return null;
  const { executionId: _executionId, ...entry } = row;
  return { ...entry, reply: await unpackLargeText(db, row.reply) };
}

/**
 * Moves an execution from `from` to `to` if nobody else changed it since `version` was read.
 * True when this caller won.
 */
export async function transitionExecution(
  db: Database,
  id: string,
  version: number,
  from: ExecutionStatus,
  to: ExecutionStatus,
  now: number,
  extra: { error?: { code: string; message: string }; finishedAt?: number } = {},
): Promise<boolean> {
  const result = await db
    .update(schema.executions)
    .set({ status: to, version: version + 1, updatedAt: now, ...extra })
    .where(and(eq(schema.executions.id, id), eq(schema.executions.version, version), eq(schema.executions.status, from)));
  return result.meta.changes === 1;
}

/** Records a human's decision on a paused call; false when it was already decided. */
export async function decideCall(db: Database, id: string, seq: number, decision: "approved" | "declined", by: string, now: number): Promise<boolean> {
  const result = await db
    .update(schema.executionCalls)
    .set({ decision, decidedBy: by, decidedAt: now })
    .where(
      and(
        eq(schema.executionCalls.executionId, id),
        eq(schema.executionCalls.seq, seq),
        eq(schema.executionCalls.status, "awaiting_approval"),
        isNull(schema.executionCalls.decision),
      ),
    );
  return result.meta.changes === 1;
}

export interface ExecutionFilter {
  /** Only these identities' executions; null: every execution. */
  identityId: string | null;
  /** Also include every paused execution (the approval queue humans see). */
  includePaused: boolean;
  status?: ExecutionStatus;
  identity?: string;
  limit: number;
  offset: number;
}

export interface ExecutionSummary {
  id: string;
  identityId: string;
  identityLabel: string;
  status: ExecutionStatus;
  error: { code: string; message: string } | null;
  createdAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  codePreview: string;
}

/** A page of executions, newest first, filtered by visibility and the console's filters. */
export async function listExecutions(db: Database, filter: ExecutionFilter): Promise<{ items: ExecutionSummary[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.identityId !== null) {
    const own = eq(schema.executions.identityId, filter.identityId);
    conditions.push(filter.includePaused ? or(own, eq(schema.executions.status, "paused"))! : own);
  }
  if (filter.status) conditions.push(eq(schema.executions.status, filter.status));
  if (filter.identity) conditions.push(eq(schema.executions.identityId, filter.identity));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select({
        id: schema.executions.id,
        identityId: schema.executions.identityId,
        identityLabel: schema.executions.identityLabel,
        status: schema.executions.status,
        error: schema.executions.error,
        createdAt: schema.executions.createdAt,
        finishedAt: schema.executions.finishedAt,
        durationMs: schema.executions.durationMs,
        codePreview: sql<string>`substr(${schema.executions.code}, 1, 200)`,
      })
      .from(schema.executions)
      .where(where)
      .orderBy(desc(schema.executions.createdAt), desc(schema.executions.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: sql<number>`count(*)` }).from(schema.executions).where(where),
  ]);
  return { items: rows.map((row) => ({ ...row, error: row.error ?? null })), total: totals[0]?.n ?? 0 };
}

/** Deletes executions and everything stored for them (used by retention, tests). */
export async function deleteExecutions(db: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const groups = inGroupsOf(ids, MAX_BOUND_PARAMETERS);
  await db.batch([
    ...groups.map((group) => db.delete(schema.executionCalls).where(inArray(schema.executionCalls.executionId, group))),
    ...groups.map((group) => db.delete(schema.executions).where(inArray(schema.executions.id, group))),
    ...ids.map((id) => deleteLargeTexts(db, `${id}:`)),
  ] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}
