/**
 * The console's notification setting through the built Worker: it wins over the Worker's
 * APPROVAL_WEBHOOK_* settings, sends Slack and Teams shapes to a real local receiver, is
 * admin-only and checked, and never returns the webhook URL's path or the HMAC secret.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook-receiver";
import { startWorker, type TestWorker } from "../harness/worker";

const SECRET = "console-hmac-secret-0123456789";
const PAUSE = `return await tools.executor.policies.create({ pattern: "<!channel>.*", action: "allow" })`;

describe("the console's notification setting", () => {
  let receiver: WebhookReceiver;
  let worker: TestWorker;
  const admin = (method: string, path: string, body?: unknown) =>
    worker.asUser("admin@example.com", path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  /** Every answer the settings routes give, to check none of them shows a secret. */
  const answers: string[] = [];
  const settings = async (method: string, body?: unknown) => {
    const response = await admin(method, "/api/settings/notifications", body);
    const text = await response.text();
    answers.push(text);
    return { status: response.status, json: text === "" ? null : JSON.parse(text) };
  };
  const pauseAndWait = async () => {
    const paused = await execute(worker, PAUSE);
    expect(paused.status).toBe("paused");
    await expect
      .poll(async () => ((await (await admin("GET", `/api/executions/${paused.executionId}`)).json()) as { notification: unknown }).notification, { timeout: 8_000 })
      .not.toBeNull();
    return paused;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    worker = await startWorker({
      bindings: {
        ALLOW_LOCAL_NETWORK: "true",
        APPROVAL_WEBHOOK_URL: `${receiver.origin}/from-env/EnvPathSecret`,
        APPROVAL_WEBHOOK_FORMAT: "generic",
        APPROVAL_WEBHOOK_SECRET: SECRET,
      },
    });
  });
  afterAll(async () => {
    await worker.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.deliveries.splice(0);
  });

  it("shows the Worker's settings while the console has none", async () => {
    expect(await settings("GET")).toEqual({
      status: 200,
      json: { source: "environment", console: null, environment: { format: "generic", urlHint: `${receiver.origin}/…`, signed: true } },
    });
  });

  it("is for admins only, and checked like the Worker's settings", async () => {
    await expectError(await worker.asUser("someone@example.com", "/api/settings/notifications"), 403, "forbidden");
    await expectError(await worker.asUser("someone@example.com", "/api/settings/notifications", { method: "PATCH", body: "{}" }), 403, "forbidden");
    const badUrl = await admin("PATCH", "/api/settings/notifications", { url: "ftp://example.com/x", format: "slack" });
    expect((await expectError(badUrl, 400, "invalid_request")).error.details).toEqual([{ field: "url", problem: "must be http or https" }]);
    const unsigned = await admin("PATCH", "/api/settings/notifications", { url: `${receiver.origin}/x`, format: "generic" });
    expect((await expectError(unsigned, 400, "invalid_request")).error.details).toEqual([expect.objectContaining({ field: "secret" })]);
    await expectError(await admin("PATCH", "/api/settings/notifications", { url: `${receiver.origin}/x`, format: "pager" }), 400, "invalid_request");
    expect((await settings("GET")).json.source).toBe("environment");
  });

  it("Slack: saved in the console, it wins; the body is a Slack message with the approval link", async () => {
    const saved = await settings("PATCH", { url: `${receiver.origin}/slack/SlackPathSecret`, format: "slack" });
    expect(saved).toMatchObject({
      status: 200,
      json: { source: "console", console: { enabled: true, format: "slack", urlHint: `${receiver.origin}/…`, signed: false, updatedBy: "admin@example.com" } },
    });
    const paused = await pauseAndWait();
    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries;
    expect(delivery!.path).toBe("/slack/SlackPathSecret");
    expect(delivery!.signature).toBe("absent");
    const body = delivery!.json as { text: string; blocks: { type: string; elements?: { url?: string }[] }[] };
    expect(body.text).toBe("Approval needed: executor.policies.create requested by admin@example.com");
    expect(body.blocks.map((block) => block.type)).toEqual(["section", "section", "actions", "context"]);
    expect(body.blocks[2]!.elements![0]!.url).toBe(paused.approval!.url);
    expect(delivery!.body).toContain("&lt;!channel&gt;");
    expect(delivery!.body).not.toContain("<!channel>");
  });

  it("Teams: an Adaptive Card message; a secret added later signs it; the saved URL is kept", async () => {
    expect((await settings("PATCH", { format: "teams", secret: SECRET })).json.console).toMatchObject({ format: "teams", signed: true });
    const paused = await pauseAndWait();
    const [delivery] = receiver.deliveries;
    expect(delivery!.path).toBe("/slack/SlackPathSecret");
    expect(delivery!.signature).toBe("valid");
    expect(delivery!.json).toMatchObject({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: { type: "AdaptiveCard", version: "1.4", actions: [{ type: "Action.OpenUrl", url: paused.approval!.url }] },
        },
      ],
    });
  });

  it("sends a sample on demand", async () => {
    const response = await admin("POST", "/api/settings/notifications/test");
    expect(await response.json()).toEqual({ status: "sent", attempts: 1 });
    expect(receiver.deliveries).toHaveLength(1);
    expect(receiver.deliveries[0]!.signature).toBe("valid");
  });

  it("turned off in the console: nothing is sent, even though the Worker has a webhook", async () => {
    expect((await settings("PATCH", { enabled: false })).json.console.enabled).toBe(false);
    const paused = await pauseAndWait();
    const history = (await (await admin("GET", `/api/executions/${paused.executionId}`)).json()) as { notification: unknown };
    expect(history.notification).toMatchObject({ status: "skipped", attempts: 0, error: "notifications are turned off in the console" });
    expect(receiver.deliveries).toEqual([]);
  });

  it("deleted: the Worker's settings apply again", async () => {
    expect((await admin("DELETE", "/api/settings/notifications")).status).toBe(204);
    expect((await settings("GET")).json).toMatchObject({ source: "environment", console: null });
    expect(await worker.db.prepare("SELECT count(*) AS n FROM secrets WHERE id LIKE 'setting:%'").first()).toEqual({ n: 0 });
    await pauseAndWait();
    expect(receiver.deliveries.map((delivery) => [delivery.path, delivery.signature])).toEqual([["/from-env/EnvPathSecret", "valid"]]);
  });

  it("never answers with the URL's path or the secret, and stores neither in plaintext", async () => {
    const everything = answers.join("\n");
    for (const secret of ["SlackPathSecret", "EnvPathSecret", SECRET]) expect(everything).not.toContain(secret);
    await settings("PATCH", { url: `${receiver.origin}/again/StoredPathSecret`, format: "slack" });
    const rows = JSON.stringify([
      (await worker.db.prepare("SELECT * FROM settings").all()).results,
      (await worker.db.prepare("SELECT * FROM secrets").all()).results,
    ]);
    expect(rows).not.toContain("StoredPathSecret");
  });
});
