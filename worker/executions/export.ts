/**
 * The audit export (docs/operations.md#audit-export): every execution created in a time
 * range as NDJSON, one line per execution with its calls, decisions and approvers.
 *
 * Memory stays flat whatever the range holds: the body is a pull-based stream that reads one
 * page of executions (keyset on created_at, id) and their calls only when the reader asks for
 * more, and expands large values one execution at a time. Each page is two D1 queries, so a
 * long export is many short reads, never one long one.
 *
 * Lines are the history record (views.ts), which holds no secret: arguments and results are
 * stored as the program saw them (redacted), and nothing is read from `secrets`.
 */
import type { Database } from "../db";
import { expandExecution, loadCallRows, loadExecutionPage, type ExecutionCursor } from "./store";
import { historyRecord } from "./views";

/** Executions read per page. */
export const EXPORT_PAGE_SIZE = 100;

/** A time range, epoch ms: `since` inclusive, `until` exclusive. */
export interface ExportRange {
  since: number;
  until: number;
}

/** The NDJSON body of an export; each line ends with `\n`. */
export function exportExecutions(db: Database, range: ExportRange, pageSize = EXPORT_PAGE_SIZE): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: ExecutionCursor | null = null;
  let lastPage = false;
  let page: { rows: Awaited<ReturnType<typeof loadExecutionPage>>; calls: Awaited<ReturnType<typeof loadCallRows>> } = { rows: [], calls: new Map() };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (page.rows.length === 0) {
            if (lastPage) return controller.close();
            const rows = await loadExecutionPage(db, range, cursor, pageSize);
            lastPage = rows.length < pageSize;
            if (rows.length === 0) return controller.close();
            cursor = { createdAt: rows[rows.length - 1]!.createdAt, id: rows[rows.length - 1]!.id };
            page = { rows, calls: await loadCallRows(db, rows.map((row) => row.id)) };
          }
          const row = page.rows.shift()!;
          const { record, journal } = await expandExecution(db, row, page.calls.get(row.id) ?? []);
          page.calls.delete(row.id);
          controller.enqueue(encoder.encode(`${JSON.stringify(exportLine(record, journal))}\n`));
        } catch (error) {
          // The status line is long gone: end the body with an error, so the reader sees a
          // broken transfer rather than a complete-looking file.
          console.error("export failed", error);
          controller.error(error);
        }
      },
    },
    { highWaterMark: 0 },
  );
}

/** One export line: the history record, who decided its calls, and its toolkit (none yet). */
function exportLine(...args: Parameters<typeof historyRecord>) {
  const record = historyRecord(...args);
  const approvers = [...new Set(record.calls.map((call) => call.decidedBy).filter((by): by is string => by !== null))];
  return { ...record, approvers, toolkit: null };
}
