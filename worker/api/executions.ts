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
import { json, pageOf } from "../http";
import type { ApiHandler, ApiRequest, Route } from "./route";
import { pageInput } from "./route-input";
import { CANCELLED, DECISION, EXECUTION, EXECUTION_EXPORT_LINE, EXECUTION_RESULT, EXECUTION_STATUS, EXECUTION_SUMMARY, listOf, PAGE_QUERY } from "./schemas";

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

const decisionResponse = { status: 200, description: "The decision, recorded; `resume` then runs the program on", schema: DECISION } as const;

export const EXECUTION_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/executions",
    summary: "Execution history, newest first, as visible to the caller",
    query: [
      { name: "status", schema: EXECUTION_STATUS, description: "Only executions in this state" },
      { name: "identity", schema: { type: "string" }, description: "Only this identity's executions (its id, e.g. `user:ada@example.com`)" },
      ...PAGE_QUERY,
    ],
    response: { status: 200, description: "A page of executions (admins: all; others: their own, and for people the paused ones)", schema: listOf(EXECUTION_SUMMARY) },
    handler: async (request, env) => {
      const page = pageInput(request);
      const { identity } = request.caller;
      const { status, identity: identityFilter } = request.queryInput as { status?: ExecutionStatus; identity?: string };
      const { items, total } = await listExecutions(database(env.DB), {
        // Admins see everything; others their own, and humans also the approval queue.
        identityId: isAdmin(identity) ? null : identity.id,
        includePaused: identity.kind === "user",
        status,
        identity: identityFilter || undefined,
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
    response: { status: 200, description: "What MCP `execute` answers: completed, failed, or paused for a decision", schema: EXECUTION_RESULT },
    body: { type: "object", required: ["code"], additionalProperties: false, properties: { code: { type: "string", minLength: 1, description: "The program" } } },
    handler: async (request, env, ctx) => json(await executeCode(runContext(request, env, ctx), request.input.code)),
  },
  {
    // Before /api/executions/:id, which would otherwise take `export` for an id.
    method: "GET",
    path: "/api/executions/export",
    summary: "Every execution created in [since, until) as NDJSON, oldest first (admins, EXPORT_SERVICE_TOKENS)",
    query: [
      { name: "since", schema: { type: "string", maxLength: 40 }, description: "An ISO 8601 date or date-time; executions created at or after it (default: the first)" },
      { name: "until", schema: { type: "string", maxLength: 40 }, description: "An ISO 8601 date or date-time; executions created before it (default: now)" },
    ],
    response: { status: 200, description: "One execution per line, with its calls, decisions, approvers and toolkit.", ndjson: EXECUTION_EXPORT_LINE },
    handler: (request, env) => {
      requireExporter(request.caller);
      return new Response(exportExecutions(database(env.DB), exportRange(request.queryInput, Date.now())), {
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
    response: { status: 200, description: "The execution: code, identity, result, logs, timings and every call", schema: EXECUTION },
    handler: async (request, env) => {
      const db = database(env.DB);
      const { identity } = request.caller;
      const record = await loadExecution(db, request.params.id!);
      const visible = record && (isAdmin(identity) || record.identityId === identity.id || (identity.kind === "user" && record.status === "paused"));
      if (!record || !visible) throw new ExecutorError("not_found", `No execution ${request.params.id}`);
      return json(historyRecord(record, await loadJournal(db, record.id)));
    },
  },
  {
    method: "POST",
    path: "/api/executions/:id/approve",
    summary: "Approve the paused call (console only: Sec-Fetch-Site: same-origin)",
    body: decisionBody,
    response: decisionResponse,
    handler: decisionRoute("approved"),
  },
  {
    method: "POST",
    path: "/api/executions/:id/decline",
    summary: "Decline the paused call (console only: Sec-Fetch-Site: same-origin)",
    body: decisionBody,
    response: decisionResponse,
    handler: decisionRoute("declined"),
  },
  {
    method: "POST",
    path: "/api/executions/:id/cancel",
    summary: "Cancel a paused execution (its owner or an admin)",
    response: { status: 200, description: "Cancelled", schema: CANCELLED },
    handler: async (request, env) => json(await cancel(env, request.caller, request.params.id!)),
  },
  {
    method: "POST",
    path: "/api/executions/:id/resume",
    summary: "Resume after a decision (like MCP resume)",
    response: { status: 200, description: "What MCP `resume` answers: the run as it stands after waiting", schema: EXECUTION_RESULT },
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
