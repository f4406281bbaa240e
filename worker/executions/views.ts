/** The shapes executions are shown in: the result of execute/resume, and history records. */
import type { Database } from "../db";
import { loadCall, type ExecutionRecord, type JournalEntry } from "./store";

/** What `execute` and `resume` answer (docs/agents.md). */
export interface ExecutionView {
  executionId: string;
  status: ExecutionRecord["status"];
  result?: unknown;
  logs: string[];
  error?: { code: string; message: string };
  approval?: {
    callId: number;
    tool: string;
    args: unknown;
    /** The connection the call will use: the one it names, or the default it resolves to. */
    connection?: string;
    /** Whether that connection is the shared one (else the caller's personal one). */
    connectionShared?: boolean;
    url: string;
    expiresAt: string;
  };
}

/** The view of an execution, with the paused call when there is one. */
export async function executionView(db: Database, record: ExecutionRecord, journal?: Map<number, JournalEntry>): Promise<ExecutionView> {
  const view: ExecutionView = { executionId: record.id, status: record.status, logs: record.logs };
  if (record.status === "completed" && record.resultJson !== null) view.result = JSON.parse(record.resultJson);
  if (record.error) view.error = record.error;
  if (record.status === "paused" && record.pausedSeq !== null) {
    const call = journal?.get(record.pausedSeq) ?? (await loadCall(db, record.id, record.pausedSeq));
    if (call) {
      view.approval = {
        callId: call.seq,
        tool: call.address ?? "",
        args: JSON.parse(call.args),
        ...connectionOf(call),
        url: `${record.origin}/executions/${record.id}`,
        expiresAt: new Date(record.expiresAt ?? 0).toISOString(),
      };
    }
  }
  return view;
}

/** A history record: everything about one execution, for GET /api/executions/:id. */
export function historyRecord(record: ExecutionRecord, journal: JournalEntry[]) {
  return {
    id: record.id,
    identity: { id: record.identityId, label: record.identityLabel },
    code: record.code,
    status: record.status,
    result: record.resultJson === null ? undefined : JSON.parse(record.resultJson),
    error: record.error ?? undefined,
    logs: record.logs,
    createdAt: iso(record.createdAt),
    finishedAt: record.finishedAt === null ? null : iso(record.finishedAt),
    durationMs: record.durationMs,
    pausedCallId: record.status === "paused" ? record.pausedSeq : null,
    expiresAt: record.status === "paused" && record.expiresAt !== null ? iso(record.expiresAt) : null,
    /** How the latest pause's approval notification went (docs/operations.md#approval-notifications). */
    notification: record.notification ? { ...record.notification, at: iso(record.notification.at) } : null,
    calls: journal.map((entry) => {
      const reply = entry.reply === null ? null : (JSON.parse(entry.reply) as { ok: boolean; value?: unknown; error?: unknown });
      return {
        callId: entry.seq,
        kind: entry.kind,
        tool: entry.address,
        args: JSON.parse(entry.args),
        connection: entry.binding?.connection?.name ?? entry.connection,
        ...(entry.binding?.connection ? { connectionShared: entry.binding.connection.shared } : {}),
        ...(entry.options === null ? {} : { options: JSON.parse(entry.options) as unknown }),
        policy: entry.policy,
        status: entry.status,
        result: reply?.ok ? reply.value : undefined,
        error: reply && !reply.ok ? reply.error : undefined,
        decision: entry.decision,
        decidedBy: entry.decidedBy,
        decidedAt: entry.decidedAt === null ? null : iso(entry.decidedAt),
        startedAt: iso(entry.startedAt),
        finishedAt: entry.finishedAt === null ? null : iso(entry.finishedAt),
      };
    }),
  };
}

/** What a paused call will run with, as its binding recorded it (older entries: the name it gave). */
function connectionOf(call: JournalEntry): { connection?: string; connectionShared?: boolean } {
  const bound = call.binding?.connection;
  if (bound) return { connection: bound.name, connectionShared: bound.shared };
  return call.connection ? { connection: call.connection } : {};
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
