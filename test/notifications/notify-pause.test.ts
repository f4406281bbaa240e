/**
 * Approval notifications through the built Worker, configured by the Worker's settings
 * (APPROVAL_WEBHOOK_*), against a real receiver on 127.0.0.1 that verifies the signature:
 * what a pause sends, retries, and a receiver that never accepts (the pause stays intact).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decide, execute, resume } from "../harness/executions";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook-receiver";
import { startWorker, type TestWorker } from "../harness/worker";

const SECRET = "whsec_0123456789abcdef0123";
/** The part of the webhook URL that makes it a credential: it must never be shown. */
const HOOK_PATH = "/hooks/T0k3nPathPart";

interface Notification {
  callId: number;
  status: string;
  attempts: number;
  at: string;
  error?: string;
}

/** Polls the execution until its notification is recorded. */
async function notificationOf(worker: TestWorker, id: string): Promise<Notification> {
  let found: Notification | null = null;
  await expect
    .poll(
      async () => {
        found = ((await (await worker.asUser("admin@example.com", `/api/executions/${id}`)).json()) as { notification: Notification | null }).notification;
        return found;
      },
      { timeout: 8_000, interval: 100 },
    )
    .not.toBeNull();
  return found!;
}

describe("notifications from the Worker's settings", () => {
  let receiver: WebhookReceiver;
  let api: ItemsApi;
  let worker: TestWorker;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    api = await startItemsApi();
    worker = await startWorker({
      bindings: {
        ALLOW_LOCAL_NETWORK: "true",
        APPROVAL_WEBHOOK_URL: `${receiver.origin}${HOOK_PATH}`,
        APPROVAL_WEBHOOK_FORMAT: "generic",
        APPROVAL_WEBHOOK_SECRET: SECRET,
      },
    });
    expect((await worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) })).status).toBe(201);
    const connection = await worker.asUser("admin@example.com", "/api/integrations/items_api/connections", {
      method: "POST",
      body: JSON.stringify({ name: "work", shared: true, auth: { type: "bearer", token: CREDENTIALS.bearer } }),
    });
    expect(connection.status).toBe(201);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.deliveries.splice(0);
    receiver.answers.splice(0);
    receiver.fallback = 200;
  });

  const CREATE = `return await tools.items_api.items.createItem({ body: { name: "second", note: "token ${CREDENTIALS.bearer}", password: "hunter2-hunter2" } })`;

  it("a pause sends one signed event with the tool, the requester, a short summary without secrets, and the approval URL", async () => {
    const paused = await execute(worker, CREATE);
    expect(paused.status).toBe("paused");
    const notification = await notificationOf(worker, paused.executionId);
    expect(notification).toMatchObject({ callId: paused.approval!.callId, status: "sent", attempts: 1 });
    expect(Date.parse(notification.at)).toBeGreaterThan(0);

    expect(receiver.deliveries).toHaveLength(1);
    const [delivery] = receiver.deliveries;
    expect(delivery!.path).toBe(HOOK_PATH);
    expect(delivery!.signature).toBe("valid");
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(delivery!.json).toEqual({
      type: "approval.requested",
      id: `${paused.executionId}:${paused.approval!.callId}`,
      executionId: paused.executionId,
      callId: paused.approval!.callId,
      tool: "items_api.items.createItem",
      connection: null,
      requester: { id: "user:admin@example.com", label: "admin@example.com" },
      arguments: { body: '{"name":"second","note":"token [redacted]","password":"[redacted]"}' },
      approvalUrl: paused.approval!.url,
      expiresAt: paused.approval!.expiresAt,
      requestedAt: expect.any(String),
    });
    expect(delivery!.body).not.toContain(CREDENTIALS.bearer);
    expect(delivery!.body).not.toContain("hunter2");
  });

  it("a receiver that fails twice and then accepts gets three attempts, each signed afresh", async () => {
    receiver.answers.push(500, 503);
    const paused = await execute(worker, CREATE);
    expect(await notificationOf(worker, paused.executionId)).toMatchObject({ status: "sent", attempts: 3 });
    expect(receiver.deliveries.map((delivery) => delivery.signature)).toEqual(["valid", "valid", "valid"]);
    expect(new Set(receiver.deliveries.map((delivery) => (delivery.json as { id: string }).id))).toEqual(new Set([`${paused.executionId}:${paused.approval!.callId}`]));
  });

  it("a receiver that never accepts: the pause is answered and kept, shows failed, and is still approved and run", async () => {
    receiver.fallback = 500;
    const paused = await execute(worker, CREATE);
    expect(paused.status).toBe("paused");
    const notification = await notificationOf(worker, paused.executionId);
    expect(notification).toMatchObject({ status: "failed", attempts: 3, error: `${new URL(receiver.origin).host} answered 500` });
    expect(receiver.deliveries).toHaveLength(3);

    const history = await (await worker.asUser("admin@example.com", `/api/executions/${paused.executionId}`)).text();
    expect(history).not.toContain(HOOK_PATH);
    expect(JSON.parse(history)).toMatchObject({ status: "paused", pausedCallId: paused.approval!.callId });
    expect((await decide(worker, paused.executionId, paused.approval!.callId, "approve")).status).toBe(200);
    expect(await resume(worker, paused.executionId)).toMatchObject({ status: "completed", result: { name: "second" } });
  });

  it("an answer that retrying cannot fix (404) is final after one attempt", async () => {
    receiver.answers.push(404);
    const paused = await execute(worker, CREATE);
    expect(await notificationOf(worker, paused.executionId)).toMatchObject({ status: "failed", attempts: 1, error: expect.stringContaining("answered 404") });
  });

  it("a run that does not pause sends nothing", async () => {
    expect(await execute(worker, "return 1")).toMatchObject({ status: "completed" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.deliveries).toEqual([]);
  });
});

describe("without a webhook", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("a pause records that its notification was skipped, and why", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "n.*", action: "allow" })`);
    expect(paused.status).toBe("paused");
    expect(await notificationOf(worker, paused.executionId)).toMatchObject({ status: "skipped", attempts: 0, error: "no approval webhook is configured" });
  });
});

describe("unusable webhook settings fail closed", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { APPROVAL_WEBHOOK_URL: "https://example.com/hook", APPROVAL_WEBHOOK_FORMAT: "generic" } });
  });
  afterAll(() => worker.close());

  it("a generic webhook without its secret is 503 everywhere, named", async () => {
    const response = await worker.asUser("admin@example.com", "/api/me");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("APPROVAL_WEBHOOK_SECRET");
  });
});
