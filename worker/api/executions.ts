/** /api/executions: run code, read history, and the human decisions on paused calls. */
import { isAdmin, type Caller } from "../auth";
import { database, type ExecutionStatus } from "../db";
import { ExecutorError } from "../errors";
import {
  cancel,
  decide,
  executeCode,
  exportExecutions,
  historyRecord,
  listExecutions,
  loadExecution,
  loadJournal,
  MAX_RESUME_WAIT_MS,
  resumeExecution,
  type ExportRange,
  type RunContext,
} from "../executions";
import { json, pageOf, readPage } from "../http";
import type { ApiHandler, ApiRequest, Route } from "./route";

const STATUSES: ExecutionStatus[] = ["running", "paused", "completed", "failed", "cancelled", "expired"];

/** What the engine needs to run for this request's caller. */
export function runContext(request: ApiRequest, env: RunContext["env"], ctx: ExecutionContext): RunContext {
  return { env, caller: request.caller, origin: new URL(request.url).origin, waitUntil: (promise) => ctx.waitUntil(promise) };
}

/**
 * Decisions come from a person in the console: the browser's own fetch carries
 * `Sec-Fetch-Site: same-origin`, which no MCP tool and no cross-site page can produce.
 */
function decisionRoute(decision: "approved" | "declined"): ApiHandler {
  return async (request, env) => {
    if (request.headers.get("sec-fetch-site") !== "same-origin") {
      throw new ExecutorError("forbidden", "Decisions are made in the Executor console (a same-origin browser request)");
    }
    return json(await decide(env, request.caller, request.params.id!, request.input.callId as number, decision));
  };
}

const decisionBody = {
  type: "object",
  required: ["callId"],
  additionalProperties: false,
  properties: { callId: { type: "integer", minimum: 0, description: "The paused call's number (approval.callId)" } },
};

export const EXECUTION_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/executions",
    summary: "Execution history (?status=&identity=&limit=&offset=)",
    handler: async (request, env) => {
      const page = readPage(request.query);
      const { identity } = request.caller;
      const status = request.query.status as string | undefined;
      if (status !== undefined && !STATUSES.includes(status as ExecutionStatus)) {
        throw new ExecutorError("invalid_request", `status must be one of ${STATUSES.join(", ")}`, { details: [{ field: "status", problem: "unknown status" }] });
      }
      const { items, total } = await listExecutions(database(env.DB), {
        // Admins see everything; others their own, and humans also the approval queue.
        identityId: isAdmin(identity) ? null : identity.id,
        includePaused: identity.kind === "user",
        status: status as ExecutionStatus | undefined,
        identity: (request.query.identity as string | undefined) || undefined,
        ...page,
      });
      const views = items.map((item) => ({ ...item, createdAt: new Date(item.createdAt).toISOString(), finishedAt: item.finishedAt === null ? null : new Date(item.finishedAt).toISOString() }));
      return json(pageOf(views, total, page));
    },
  },
  {
    method: "POST",
    path: "/api/executions",
    summary: "Run code (like MCP execute)",
    body: { type: "object", required: ["code"], additionalProperties: false, properties: { code: { type: "string", minLength: 1, description: "The program" } } },
    handler: async (request, env, ctx) => json(await executeCode(runContext(request, env, ctx), request.input.code)),
  },
  {
    // Before /api/executions/:id, which would otherwise take `export` for an id.
    method: "GET",
    path: "/api/executions/export",
    summary: "Every execution created in [since, until) as NDJSON, oldest first (?since=&until=, ISO 8601) (admins, EXPORT_SERVICE_TOKENS)",
    handler: (request, env) => {
      requireExporter(request.caller);
      return new Response(exportExecutions(database(env.DB), exportRange(request.query, Date.now())), {
        headers: {
          "content-type": "application/x-ndjson; charset=utf-8",
          "cache-control": "no-store",
          "content-disposition": 'attachment; filename="executions.ndjson"',
        },
      });
    },
  },
  {
    method: "GET",
    path: "/api/executions/:id",
    summary: "One execution with every call",
    handler: async (request, env) => {
      const db = database(env.DB);
      const { identity } = request.caller;
      const record = await loadExecution(db, request.params.id!);
      const visible = record && (isAdmin(identity) || record.identityId === identity.id || (identity.kind === "user" && record.status === "paused"));
      if (!record || !visible) throw new ExecutorError("not_found", `No execution ${request.params.id}`);
      return json(historyRecord(record, await loadJournal(db, record.id)));
    },
  },
  { method: "POST", path: "/api/executions/:id/approve", summary: "Approve the paused call (console only)", body: decisionBody, handler: decisionRoute("approved") },
  { method: "POST", path: "/api/executions/:id/decline", summary: "Decline the paused call (console only)", body: decisionBody, handler: decisionRoute("declined") },
  {
    method: "POST",
    path: "/api/executions/:id/cancel",
    summary: "Cancel a paused execution",
    handler: async (request, env) => json(await cancel(env, request.caller, request.params.id!)),
  },
  {
    method: "POST",
    path: "/api/executions/:id/resume",
    summary: "Resume after a decision (like MCP resume)",
    body: {
      type: "object",
      additionalProperties: false,
      properties: { waitSeconds: { type: "number", minimum: 0, description: "How long to wait for a decision (default and most: 25)" } },
    },
    handler: async (request, env, ctx) => {
      const waitSeconds = typeof request.input.waitSeconds === "number" ? request.input.waitSeconds : MAX_RESUME_WAIT_MS / 1000;
      return json(await resumeExecution(runContext(request, env, ctx), request.params.id, waitSeconds * 1000));
    },
  },
];

/** Admins, and the service tokens EXPORT_SERVICE_TOKENS names (for a scheduled export), may export. */
function requireExporter({ identity, config }: Caller): void {
  if (isAdmin(identity)) return;
  if (identity.kind === "service" && identity.subject !== undefined && config.exportServiceTokens.has(identity.subject)) return;
  throw new ExecutorError("forbidden", "Only admins and the service tokens named in EXPORT_SERVICE_TOKENS may export the history");
}

/** An ISO 8601 date or date-time (with a time zone, or UTC). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** `since` (default: the beginning) and `until` (default: now) of an export, checked. */
function exportRange(query: Record<string, unknown>, now: number): ExportRange {
  const read = (field: "since" | "until", fallback: number): number => {
    const value = query[field];
    if (value === undefined || value === "") return fallback;
    const time = typeof value === "string" && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) throw new ExecutorError("invalid_request", `${field} must be an ISO 8601 time`, { details: [{ field, problem: "not an ISO 8601 time" }] });
    return time;
  };
  const range = { since: read("since", 0), until: read("until", now) };
  if (range.since > range.until) throw new ExecutorError("invalid_request", "since must not be after until", { details: [{ field: "since", problem: "after until" }] });
  return range;
}
