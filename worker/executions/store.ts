/**
 * Executions and their call journals in D1. A state change that races with another isolate
 * (resume, approve, cancel) is a compare-and-swap on `version` or on the call's decision:
 * D1 ignores BEGIN/COMMIT, but a conditional UPDATE's `changes` tells who won.
 */
import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { deleteLargeTexts, inGroupsOf, MAX_BOUND_PARAMETERS, packLargeText, schema, unpackLargeText, type Database } from "../db";
import type { CallBinding, CallStatus, ExecutionStatus, NotificationOutcome } from "../db";

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
  /** Canonical JSON of the call options besides the connection (`response`), null for none: replay compares it. */
  options: string | null;
  /** For a call held for a human: what the approval binds to. */
  binding: CallBinding | null;
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

/**
 * Writes the execution row and the given journal entries in one atomic batch. With
 * `claimedVersion` (a resumed run), nothing is written unless the row still has that version:
 * if another resume took the execution over meanwhile, this run's writes are refused and
 * false is returned.
 */
export async function saveExecution(db: Database, record: ExecutionRecord, entries: JournalEntry[], claimedVersion?: number): Promise<boolean> {
  const statements = executionStatements(db, record, entries, claimedVersion);
  const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return claimedVersion === undefined || changesOf(results[results.length - 1]) === 1;
}

/**
 * Saves a finished run's history, retrying once; if it still cannot be written (a value D1
 * refuses, an outage), the execution is stored as `failed` / `internal` instead, so the gap is
 * visible rather than a run that looks still running. Returns what was stored, or null when
 * the claimed version was lost to another resume.
 */
export async function saveHistoryOrFailure(db: Database, record: ExecutionRecord, entries: JournalEntry[], claimedVersion?: number): Promise<ExecutionRecord | null> {
  let failure: unknown;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      return (await saveExecution(db, record, entries, claimedVersion)) ? record : null;
    } catch (error) {
      failure = error;
    }
  }
  const id = crypto.randomUUID().slice(0, 8);
  console.error(`history write failed [${id}] for ${record.id}`, failure);
  const failed: ExecutionRecord = {
    ...record,
    status: "failed",
    resultJson: null,
    error: { code: "internal", message: `The run ended but its history could not be written [${id}]` },
    finishedAt: record.finishedAt ?? record.updatedAt,
    pausedSeq: null,
    expiresAt: null,
  };
  return (await saveExecution(db, failed, [], claimedVersion)) ? failed : null;
}

/**
 * Writes one journal entry (an in-flight marker) if the execution still has `claimedVersion`;
 * false when another resume owns it now, and the call must not be sent.
 */
export async function saveEntryIfClaimed(db: Database, executionId: string, entry: JournalEntry, claimedVersion: number): Promise<boolean> {
  const statements = entryStatements(db, executionId, entry, claimedVersion);
  const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  return changesOf(results[results.length - 1]) === 1;
}

/** The statements that write an execution row and journal entries (upserts; see saveExecution). */
export function executionStatements(db: Database, record: ExecutionRecord, entries: JournalEntry[], claimedVersion?: number): BatchItem<"sqlite">[] {
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
  return [
    ...result.statements,
    ...logs.statements,
    // Entries first: with a claimed version they check it, and the row's update (last) moves it on.
    ...entries.flatMap((entry) => entryStatements(db, record.id, entry, claimedVersion)),
    claimedVersion === undefined
      ? db.insert(schema.executions).values(row).onConflictDoUpdate({ target: schema.executions.id, set: changes })
      : db
          .update(schema.executions)
          .set(changes)
          .where(and(eq(schema.executions.id, record.id), eq(schema.executions.version, claimedVersion))),
  ];
}

/** An entry's upsert (a decision is written only by decideCall; a run never overwrites it). */
function entryStatements(db: Database, executionId: string, entry: JournalEntry, claimedVersion?: number): BatchItem<"sqlite">[] {
  const args = packLargeText(db, `${executionId}:args:${entry.seq}`, entry.args);
  const reply = packLargeText(db, `${executionId}:call:${entry.seq}`, entry.reply);
  const upsert =
    claimedVersion === undefined
      ? db
          .insert(schema.executionCalls)
          .values({ executionId, ...entry, args: args.column ?? entry.args, reply: reply.column })
          .onConflictDoUpdate({
            target: [schema.executionCalls.executionId, schema.executionCalls.seq],
            set: { status: entry.status, reply: reply.column, policy: entry.policy, binding: entry.binding, finishedAt: entry.finishedAt },
          })
      : // The same row, selected from the execution only while it still has the claimed version.
        db
          .insert(schema.executionCalls)
          .select(
            db
              .select(literalColumns({ executionId, ...entry, args: args.column ?? entry.args, reply: reply.column, binding: entry.binding === null ? null : JSON.stringify(entry.binding) }))
              .from(schema.executions)
              .where(and(eq(schema.executions.id, executionId), eq(schema.executions.version, claimedVersion))),
          )
          .onConflictDoUpdate({
            target: [schema.executionCalls.executionId, schema.executionCalls.seq],
            set: { status: sql`excluded.status`, reply: sql`excluded.reply`, policy: sql`excluded.policy`, binding: sql`excluded.binding`, finishedAt: sql`excluded.finished_at` },
          });
  return [...args.statements, ...reply.statements, upsert];
}

/** A journal row as constant columns of a SELECT, named as the table's columns. */
function literalColumns(row: Record<keyof typeof schema.executionCalls.$inferInsert, unknown>) {
  const columns = schema.executionCalls as unknown as Record<string, { name: string }>;
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, sql`${value}`.as(columns[key]!.name)])) as Record<keyof typeof row, SQL.Aliased>;
}

function changesOf(result: unknown): number {
  return (result as { meta?: { changes?: number } } | undefined)?.meta?.changes ?? 0;
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

/** One journal entry (the paused call, usually). */
export async function loadCall(db: Database, id: string, seq: number): Promise<JournalEntry | null> {
  const row = await db
    .select()
    .from(schema.executionCalls)
    .where(and(eq(schema.executionCalls.executionId, id), eq(schema.executionCalls.seq, seq)))
    .get();
  return row ? entryOf(db, row) : null;
}

async function entryOf(db: Database, { executionId: _executionId, ...row }: ExecutionCallRow): Promise<JournalEntry> {
  const [args, reply] = await Promise.all([unpackLargeText(db, row.args), unpackLargeText(db, row.reply)]);
  return { ...row, args: args ?? "null", reply, binding: row.binding ?? null };
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
