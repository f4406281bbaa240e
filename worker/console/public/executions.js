// @ts-check
/**
 * The Executions views: the history (/executions?status=&identity=) with the approval queue
 * on top, and one execution (/executions/:id) with its code, logs, result and calls. A
 * paused call shows the tool and arguments with Approve / Decline for people; when the
 * approver may resume it (its owner or an admin) the page runs it on at once. How the pause's
 * approval notification went (sent, failed, skipped) shows under the status. Arguments,
 * results and logs come from agents and upstreams: they are shown as text only.
 */
import * as api from "./api-client.js";
import { guard, h, notice, pretty, status, table, when } from "./dom.js";

const STATUSES = ["running", "paused", "completed", "failed", "cancelled", "expired"];

/** @type {import("./console.js").View} */
export async function executionsView(context) {
  const wanted = { status: context.query.get("status") ?? "", identity: context.query.get("identity") ?? "" };
  const [list, queue] = await Promise.all([
    api.listExecutions({ ...wanted, limit: 50 }),
    api.listExecutions({ status: "paused", limit: 50 }),
  ]);
  const statusFilter = h("select", { name: "status" },
    ["", ...STATUSES].map((value) => h("option", { value, selected: value === wanted.status }, value || "any status")));
  const identity = h("input", { name: "identity", placeholder: "identity, e.g. user:ada@example.com", value: wanted.identity });
  return h("div", {},
    h("h1", {}, "Executions"),
    queue.items.length > 0 ? h("section", { class: "card" }, h("h2", {}, "Waiting for a decision"), executionTable(queue.items)) : "",
    h("form", { class: "inline", method: "get", action: "/executions" }, statusFilter, identity, h("button", { type: "submit" }, "Filter")),
    executionTable(list.items));
}

/** @param {api.ExecutionSummary[]} items */
function executionTable(items) {
  return table(["When", "Who", "Status", "Code", ""], items.map((execution) =>
    h("tr", {},
      h("td", {}, when(execution.createdAt)), h("td", {}, execution.identityLabel), h("td", {}, status(execution.status)),
      h("td", {}, h("code", {}, execution.codePreview)),
      h("td", {}, h("a", { href: `/executions/${encodeURIComponent(execution.id)}` }, "Open")))));
}

/** @type {import("./console.js").View} */
export async function executionView(context) {
  const execution = await api.getExecution(context.params.id ?? "");
  const container = h("div", {});
  const mayRunOn = context.isAdmin || execution.identity.id === context.me.id;
  container.append(
    h("h1", {}, "Execution ", h("code", {}, execution.id)),
    h("p", {}, status(execution.status), " \u00b7 by ", execution.identity.label, " \u00b7 ", when(execution.createdAt),
      execution.durationMs !== null ? ` \u00b7 ${execution.durationMs} ms` : ""));
  if (execution.notification) container.append(notificationLine(execution.notification));
  const pending = execution.status === "paused" ? execution.calls.find((call) => call.callId === execution.pausedCallId) : undefined;
  if (pending) container.append(approvalCard(container, context, execution, pending, mayRunOn));
  if (execution.error) container.append(notice(`${execution.error.code}: ${execution.error.message}`, true));
  if (execution.result !== undefined) container.append(h("h2", {}, "Result"), h("pre", { class: "result" }, pretty(execution.result)));
  container.append(h("h2", {}, "Code"), h("pre", {}, execution.code));
  if (execution.logs.length > 0) container.append(h("h2", {}, "Logs"), h("pre", {}, execution.logs.join("\n")));
  container.append(h("h2", {}, "Calls"), table(["#", "Call", "Arguments", "Policy", "Outcome", "Decision"], execution.calls.map((call) =>
    h("tr", {},
      h("td", {}, call.callId), h("td", {}, call.kind === "tool" ? h("code", {}, call.tool) : call.kind),
      h("td", {}, h("pre", {}, pretty(call.args))), h("td", {}, call.policy ? status(call.policy) : ""),
      h("td", {}, status(call.status), call.error ? h("div", { class: "muted" }, `${call.error.code}: ${call.error.message}`) : ""),
      h("td", {}, call.decision ? `${call.decision} by ${call.decidedBy}` : "")))));
  return container;
}

/**
 * How the latest pause's approval notification went; its error names a host at most.
 * @param {api.NotificationOutcome} outcome
 */
function notificationLine(outcome) {
  const attempts = outcome.attempts > 0 ? ` after ${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"}` : "";
  return h("p", { class: "muted", "data-testid": "notification" },
    `Approval notification (call #${outcome.callId}): `, status(outcome.status), attempts, `, ${when(outcome.at)}`,
    outcome.error ? ` \u00b7 ${outcome.error}` : "");
}

/**
 * The paused call and its decision buttons (people only; services cannot approve).
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.Execution} execution
 * @param {api.Call} pending
 * @param {boolean} mayRunOn whether this person may resume it (its owner or an admin)
 */
function approvalCard(container, context, execution, pending, mayRunOn) {
  /** @param {"approve" | "decline"} decision */
  const decide = (decision) => guard(container, async () => {
    await api.decideCall(execution.id, decision, pending.callId);
    // Run it on now when this person may; else the agent resumes it.
    if (mayRunOn) await api.resumeExecution(execution.id);
    await context.refresh();
  });
  const cancel = guard(container, async () => {
    await api.cancelExecution(execution.id);
    await context.refresh();
  });
  return h("section", { class: "card", "data-testid": "approval" },
    h("h2", {}, "Approval needed"),
    h("p", {}, h("code", {}, pending.tool), " asked by ", execution.identity.label, " at ", when(pending.startedAt),
      ". Expires ", when(execution.expiresAt), "."),
    h("p", { "data-testid": "approval-connection" }, connectionLine(pending)),
    h("pre", { class: "args" }, pretty(pending.args)),
    context.isHuman
      ? [h("button", { onclick: decide("approve") }, "Approve"), " ", h("button", { class: "danger", onclick: decide("decline") }, "Decline")]
      : h("p", { class: "muted" }, "Only a person can decide."),
    mayRunOn ? [" ", h("button", { class: "secondary", onclick: cancel }, "Cancel execution")] : "");
}

/**
 * Which credentials the approved call will use: the connection it names or the default it
 * resolves to, shared or the requester's own; what a person approves along with the call.
 * @param {api.Call} call
 */
function connectionLine(call) {
  if (!call.connection) return "It will run without credentials (no connection).";
  const owner = call.connectionShared === undefined ? "" : call.connectionShared ? "the shared " : "the requester's personal ";
  return `It will run with ${owner}connection ${call.connection}.`;
}
