/** /api/executions: run code, read history, and the human decisions on paused calls. */
import { isAdmin } from "../auth";
import { database } from "../db";
import type { ExecutionStatus } from "../db/schema";
import { cancel, decide, executeCode, historyRecord, listExecutions, loadExecution, loadJournal, resumeExecution, type RunContext } from "../executions";
import { ApiError, json, pageOf, readJsonObject, readPage } from "../http";
import type { ApiHandler, ApiRequest } from "./context";

const STATUSES: ExecutionStatus[] = ["running", "paused", "completed", "failed", "cancelled", "expired"];

export function runContext(request: ApiRequest, env: RunContext["env"], ctx: ExecutionContext): RunContext {
  return { env, caller: request.caller, origin: new URL(request.url).origin, waitUntil: (promise) => ctx.waitUntil(promise) };
}

export const postExecution: ApiHandler = async (request, env, ctx) => {
  const body = await readJsonObject(request);
  return json(await executeCode(runContext(request, env, ctx), body.code));
};

export const resumeExecutionRoute: ApiHandler = async (request, env, ctx) => {
  const body = await readJsonObject(request).catch(() => ({}) as Record<string, unknown>);
  const waitSeconds = typeof body.waitSeconds === "number" ? body.waitSeconds : 25;
  return json(await resumeExecution(runContext(request, env, ctx), request.params.id, waitSeconds * 1000));
};

export const listExecutionsRoute: ApiHandler = async (request, env) => {
  const page = readPage(request.query);
  const { identity } = request.caller;
  const status = request.query.status as string | undefined;
  if (status !== undefined && !STATUSES.includes(status as ExecutionStatus)) {
    throw new ApiError("invalid_request", `status must be one of ${STATUSES.join(", ")}`, { details: [{ field: "status", problem: "unknown status" }] });
  }
  const { items, total } = await listExecutions(database(env.DB), {
    // Admins see everything; others their own, and humans also the approval queue.
    identityId: isAdmin(identity) ? null : identity.id,
    includePaused: identity.kind === "user",
    status: status as ExecutionStatus | undefined,
    identity: (request.query.identity as string | undefined) || undefined,
    ...page,
  });
  return json(
    pageOf(
      items.map((item) => ({ ...item, createdAt: new Date(item.createdAt).toISOString(), finishedAt: item.finishedAt === null ? null : new Date(item.finishedAt).toISOString() })),
      total,
      page,
    ),
  );
};

export const getExecution: ApiHandler = async (request, env) => {
  const db = database(env.DB);
  const { identity } = request.caller;
  const record = await loadExecution(db, request.params.id!);
  const visible = record && (isAdmin(identity) || record.identityId === identity.id || (identity.kind === "user" && record.status === "paused"));
  if (!record || !visible) throw new ApiError("not_found", `No execution ${request.params.id}`);
  return json(historyRecord(record, await loadJournal(db, record.id)));
};

/**
 * Decisions come from a person in the console: the browser's own fetch carries
 * `Sec-Fetch-Site: same-origin`, which no MCP tool and no cross-site page can produce.
 */
function decisionRoute(decision: "approved" | "declined"): ApiHandler {
  return async (request, env) => {
    if (request.headers.get("sec-fetch-site") !== "same-origin") {
      throw new ApiError("forbidden", "Decisions are made in the Executor console (a same-origin browser request)");
    }
    const body = await readJsonObject(request);
    return json(await decide(env, request.caller, request.params.id!, body.callId, decision));
  };
}

export const approveExecution = decisionRoute("approved");
export const declineExecution = decisionRoute("declined");

export const cancelExecution: ApiHandler = async (request, env) => json(await cancel(env, request.caller, request.params.id!));
