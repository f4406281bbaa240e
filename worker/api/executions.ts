/** /api/executions: run code, read history, and the human decisions on paused calls. */
import { isAdmin } from "../auth";
import { database, type ExecutionStatus } from "../db";
import { ExecutorError } from "../errors";
import { cancel, decide, executeCode, historyRecord, listExecutions, loadExecution, loadJournal, MAX_RESUME_WAIT_MS, resumeExecution, type RunContext } from "../executions";
import { json, pageOf } from "../http";
import type { ApiHandler, ApiRequest, Route } from "./route";
import { pageInput } from "./route-input";
import { CANCELLED, DECISION, EXECUTION, EXECUTION_RESULT, EXECUTION_STATUS, EXECUTION_SUMMARY, listOf, PAGE_QUERY } from "./schemas";

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
      { name: "toolkit", schema: { type: "string" }, description: "Only executions started in this toolkit (its slug)" },
      ...PAGE_QUERY,
    ],
    response: { status: 200, description: "A page of executions (admins: all; others: their own, and for people the paused ones)", schema: listOf(EXECUTION_SUMMARY) },
    handler: async (request, env) => {
      const page = pageInput(request);
      const { identity } = request.caller;
      const { status, identity: identityFilter, toolkit } = request.queryInput as { status?: ExecutionStatus; identity?: string; toolkit?: string };
      const { items, total } = await listExecutions(database(env.DB), {
        // Admins see everything; others their own, and humans also the approval queue.
        identityId: isAdmin(identity) ? null : identity.id,
        includePaused: identity.kind === "user",
        status,
        identity: identityFilter || undefined,
        toolkit: toolkit || undefined,
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
