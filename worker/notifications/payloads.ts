/**
 * The bodies a notification is sent as (docs/operations.md#approval-notifications): a Slack
 * incoming-webhook message (text plus Block Kit blocks), a Microsoft Teams message with an
 * Adaptive Card (the one format both Teams Workflows webhooks and the older connector webhooks
 * accept), or generic JSON for any receiver. Pure.
 *
 * Every value comes from the agent (tool arguments) or the requester's identity: Slack's
 * control characters (`&`, `<`, `>`) are escaped so a value cannot mention `@channel` or
 * forge a link; in Adaptive Card text (a Markdown subset) the `](` of a link is broken, so a
 * value cannot dress a phishing URL as a label. The one link meant to be followed is the
 * button's, to the approval page.
 */
import type { WebhookFormat } from "../config";
import type { ArgumentSummary } from "./argument-summary";

/** What a notification says about one paused call. */
export interface ApprovalRequest {
  executionId: string;
  callId: number;
  tool: string;
  connection: string | null;
  requester: { id: string; label: string };
  arguments: ArgumentSummary;
  /** The console page where a person approves or declines. */
  approvalUrl: string;
  expiresAt: string;
  requestedAt: string;
}

/** The JSON body for `format`. */
export function notificationBody(format: WebhookFormat, request: ApprovalRequest): Record<string, unknown> {
  if (format === "slack") return slackMessage(request);
  if (format === "teams") return teamsMessage(request);
  return genericEvent(request);
}

/**
 * The generic event. `id` is the same on every attempt, so a receiver can drop a retry it
 * already handled.
 */
function genericEvent(request: ApprovalRequest): Record<string, unknown> {
  return { type: "approval.requested", id: `${request.executionId}:${request.callId}`, ...request };
}

function headline(request: ApprovalRequest): string {
  return `Approval needed: ${request.tool} requested by ${request.requester.label}`;
}

function slackMessage(request: ApprovalRequest): Record<string, unknown> {
  const fields = Object.entries(request.arguments).map(([key, value]) => ({ type: "mrkdwn", text: `*${slack(key)}*\n${slack(value)}` }));
  const via = request.connection ? ` with connection ${slack(request.connection)}` : "";
  return {
    // The notification text (and the fallback where blocks are not shown).
    text: slack(headline(request)),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*Approval needed*\n\`${slack(request.tool)}\` requested by ${slack(request.requester.label)}${via}` } },
      // Slack allows at most 10 fields per section; the summary has at most 11 (10 and "…").
      ...(fields.length > 0 ? [{ type: "section", fields: fields.slice(0, 10) }] : []),
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Review in Executor" }, url: request.approvalUrl }] },
      { type: "context", elements: [{ type: "mrkdwn", text: `Expires ${slack(request.expiresAt)} · execution ${slack(request.executionId)}` }] },
    ],
  };
}

function teamsMessage(request: ApprovalRequest): Record<string, unknown> {
  const facts = Object.entries(request.arguments).map(([title, value]) => ({ title: markdown(title), value: markdown(value) }));
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: "Approval needed", weight: "Bolder", size: "Medium", wrap: true },
            {
              type: "TextBlock",
              text: `${markdown(request.tool)} requested by ${markdown(request.requester.label)}${request.connection ? ` with connection ${markdown(request.connection)}` : ""}`,
              wrap: true,
            },
            ...(facts.length > 0 ? [{ type: "FactSet", facts }] : []),
            { type: "TextBlock", text: `Expires ${markdown(request.expiresAt)}`, isSubtle: true, wrap: true },
          ],
          actions: [{ type: "Action.OpenUrl", title: "Review in Executor", url: request.approvalUrl }],
        },
      },
    ],
  };
}

/** Slack mrkdwn: `&`, `<` and `>` are its control characters (links, mentions). */
function slack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Adaptive Card text renders `[label](url)` as a link: the pair is broken apart. */
function markdown(text: string): string {
  return text.replace(/\]\s*\(/g, "] (");
}
