/**
 * Announces a pause (docs/operations.md#approval-notifications). The engine calls this after
 * the pause is stored, through `waitUntil`, so a notification can neither delay the answer
 * nor lose the pause: whatever happens here, the execution stays paused and approvable. The
 * outcome (sent, failed or skipped, attempts, when, why) is recorded on the execution.
 */
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Identity } from "../auth";
import type { Config } from "../config";
import { connectionSecretValues } from "../connections";
import { schema, type Database, type NotificationOutcome } from "../db";
import { summarizeArguments } from "./argument-summary";
import { deliverNotification } from "./deliver";
import { notificationBody, type ApprovalRequest } from "./payloads";
import { activeWebhook } from "./settings";

/** The paused execution and its call, as the engine stored them. */
export interface PauseNotice {
  db: Database;
  config: Config;
  /** The execution's owner: the call's connection is resolved for them. */
  owner: Identity;
  execution: { id: string; identityId: string; identityLabel: string; origin: string; expiresAt: number | null };
  call: { seq: number; address: string | null; args: string; connection: string | null };
}

/** Sends the pause's notification and records how it went. Never throws. */
export async function notifyPause(notice: PauseNotice): Promise<NotificationOutcome> {
  const { db, config, execution, call } = notice;
  let outcome: NotificationOutcome;
  try {
    const active = await activeWebhook(db, config);
    if (!active.webhook) {
      outcome = { callId: call.seq, status: "skipped", attempts: 0, at: Date.now(), error: active.reason };
    } else {
      const tool = call.address ?? "";
      const secrets = await connectionSecretValues(db, config.secretKeys, tool.split(".")[0] ?? "", call.connection, notice.owner);
      const request: ApprovalRequest = {
        executionId: execution.id,
        callId: call.seq,
        tool,
        connection: call.connection,
        requester: { id: execution.identityId, label: execution.identityLabel },
        arguments: summarizeArguments(JSON.parse(call.args), secrets),
        approvalUrl: `${execution.origin}/executions/${execution.id}`,
        expiresAt: new Date(execution.expiresAt ?? Date.now()).toISOString(),
        requestedAt: new Date().toISOString(),
      };
      const body = JSON.stringify(notificationBody(active.webhook.format, request));
      const delivery = await deliverNotification(active.webhook, body, { allowLocalNetwork: config.allowLocalNetwork });
      outcome = { callId: call.seq, ...delivery, at: Date.now() };
    }
  } catch (error) {
    console.error("approval notification failed", error);
    outcome = { callId: call.seq, status: "failed", attempts: 0, at: Date.now(), error: "internal error while preparing the notification" };
  }
  try {
    await recordOutcome(db, execution.id, outcome);
  } catch (error) {
    console.error("recording an approval notification failed", error);
  }
  return outcome;
}

/** Writes the outcome unless a later pause of the same execution already recorded its own. */
async function recordOutcome(db: Database, executionId: string, outcome: NotificationOutcome): Promise<void> {
  await db
    .update(schema.executions)
    .set({ notification: outcome })
    .where(
      and(
        eq(schema.executions.id, executionId),
        or(isNull(schema.executions.notification), sql`json_extract(${schema.executions.notification}, '$.callId') <= ${outcome.callId}`),
      ),
    );
}
