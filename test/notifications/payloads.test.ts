/** The bodies Slack, Teams and generic receivers get: pure, one request → each shape. */
import { describe, expect, it } from "vitest";
import { notificationBody, type ApprovalRequest } from "../../worker/notifications";

const request: ApprovalRequest = {
  executionId: "ex_1",
  callId: 2,
  tool: "github.issues.create",
  connection: "work",
  requester: { id: "user:ada@example.com", label: "ada@example.com" },
  arguments: { title: "<!channel> see [docs](https://evil.example)", repo: "app" },
  approvalUrl: "https://executor.example.com/executions/ex_1",
  expiresAt: "2026-01-02T00:00:00.000Z",
  requestedAt: "2026-01-01T00:00:00.000Z",
};

describe("notificationBody", () => {
  it("generic: the request as an event with a stable id for de-duplication", () => {
    expect(notificationBody("generic", request)).toEqual({ type: "approval.requested", id: "ex_1:2", ...request });
  });

  it("slack: text plus Block Kit blocks, the link a button, control characters escaped", () => {
    const body = notificationBody("slack", request) as { text: string; blocks: Record<string, unknown>[] };
    expect(body.text).toBe("Approval needed: github.issues.create requested by ada@example.com");
    expect(body.blocks.map((block) => block.type)).toEqual(["section", "section", "actions", "context"]);
    expect(body.blocks[1]).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*title*\n&lt;!channel&gt; see [docs](https://evil.example)" },
        { type: "mrkdwn", text: "*repo*\napp" },
      ],
    });
    expect(body.blocks[2]).toEqual({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Review in Executor" }, url: request.approvalUrl }] });
    expect(JSON.stringify(body)).not.toContain("<!channel>");
  });

  it("slack: no fields section when there are no arguments (Slack refuses an empty one)", () => {
    const body = notificationBody("slack", { ...request, arguments: {} }) as { blocks: { type: string }[] };
    expect(body.blocks.map((block) => block.type)).toEqual(["section", "actions", "context"]);
  });

  it("teams: an Adaptive Card in a message attachment, links in values broken, the link an action", () => {
    const body = notificationBody("teams", request) as { type: string; attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> }[] };
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment!.content).toMatchObject({ type: "AdaptiveCard", version: "1.4", actions: [{ type: "Action.OpenUrl", title: "Review in Executor", url: request.approvalUrl }] });
    const facts = (attachment!.content.body as { type: string; facts?: { title: string; value: string }[] }[]).find((item) => item.type === "FactSet")!.facts;
    expect(facts).toEqual([
      { title: "title", value: "<!channel> see [docs] (https://evil.example)" },
      { title: "repo", value: "app" },
    ]);
  });
});
