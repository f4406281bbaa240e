/**
 * Human decisions on paused executions: approve, decline, cancel. A decision binds to the
 * paused call (its position, tool, exact arguments and connection, all fixed in the journal)
 * and is single-use; replay checks the program still makes that very call.
 */
import { requireApprover, type Caller } from "../auth";
import { database } from "../db";
import { ExecutorError } from "../errors";
import { decideCall, loadCall, loadExecution, transitionExecution } from "./store";

/** Records approve/decline of `callId` on a paused execution. */
export async function decide(env: Env, caller: Caller, id: string, callId: unknown, decision: "approved" | "declined"): Promise<{ executionId: string; callId: number; decision: string }> {
  requireApprover(caller.identity, caller.config);
  if (typeof callId !== "number" || !Number.isInteger(callId) || callId < 0) {
    throw new ExecutorError("invalid_request", "callId must be the paused call's number", { details: [{ field: "callId", problem: "must be a non-negative integer" }] });
  }
  const db = database(env.DB);
  const record = await loadExecution(db, id);
  if (!record) throw new ExecutorError("not_found", `No execution ${id}`);
  const call = await loadCall(db, id, callId);
  if (call?.decision) throw new ExecutorError("conflict", `Call ${callId} was already ${call.decision}`);
  if (record.status !== "paused" || record.pausedSeq !== callId || call?.status !== "awaiting_approval") {
    if (record.status === "expired") throw new ExecutorError("expired", "This execution expired before anyone decided");
    throw new ExecutorError("conflict", `Execution ${id} is not waiting on call ${callId} (status ${record.status})`);
  }
  const now = Date.now();
  if (record.expiresAt !== null && record.expiresAt <= now) {
    const error = { code: "expired", message: "Nobody decided the paused call in time" };
    await transitionExecution(db, id, record.version, "paused", "expired", now, { error, finishedAt: now });
    throw new ExecutorError("expired", "This execution expired before anyone decided");
  }
  if (!(await decideCall(db, id, callId, decision, caller.identity.email ?? caller.identity.id, now))) {
    throw new ExecutorError("conflict", `Call ${callId} was already decided`);
  }
  return { executionId: id, callId, decision };
}

/** Stops a paused execution for good; its owner or an admin. */
export async function cancel(env: Env, caller: Caller, id: string): Promise<{ executionId: string; status: "cancelled" }> {
  const db = database(env.DB);
  const record = await loadExecution(db, id);
  const identity = caller.identity;
  const isOwner = record?.identityId === identity.id;
  if (!record || (!isOwner && !identity.roles.includes("admin") && record.status !== "paused")) throw new ExecutorError("not_found", `No execution ${id}`);
  if (!isOwner && !identity.roles.includes("admin")) throw new ExecutorError("forbidden", "Only the execution's owner or an admin may cancel it");
  if (record.status !== "paused") throw new ExecutorError("conflict", `Execution ${id} is ${record.status}; only a paused execution can be cancelled`);
  const now = Date.now();
  const error = { code: "cancelled", message: `Cancelled by ${identity.email ?? identity.id}` };
  if (!(await transitionExecution(db, id, record.version, "paused", "cancelled", now, { error, finishedAt: now }))) {
    throw new ExecutorError("conflict", `Execution ${id} changed meanwhile; reload it`);
  }
  return { executionId: id, status: "cancelled" };
}
