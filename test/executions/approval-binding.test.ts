/**
 * Issue 13, items 3, 4 and 5: an approval is a promise about one request, and resuming must
 * keep it. It binds to the credential the call will use and to the operation's method and
 * path, so a change after the approval makes it stale instead of sending something nobody
 * approved (3). A pause never loses or repeats a call that was already in flight (4). Two
 * resumes racing for the same approved execution send the approved call once (5).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, addPolicy, startAttackApi, type AttackApi, type AttackRequest } from "../harness/attack-api";
import { decide, execute, resume, type ExecutionView } from "../harness/executions";
import { readHistory, waitForHistory, waitUntil } from "../harness/history";
import { startWorker, type TestWorker } from "../harness/worker";

const ADMIN = "admin@example.com";
const BOB = "bob@example.com";
const SHARED_TOKEN = "admin-shared-token-0123456789";
const BOB_TOKEN = "bob-personal-token-0123456789";

type ApprovalView = NonNullable<ExecutionView["approval"]> & { connectionShared?: boolean };

/** Writes the API received whose body carries `note`, at any path or method. */
function writesWith(api: AttackApi, note: string): AttackRequest[] {
  return api.requests.filter((request) => request.path.startsWith("/v1/write") && request.body.includes(`"${note}"`));
}

const WRITE = (note: string) => `return await tools.attack_api.attack.write({ body: { note: "${note}" } })`;

describe("item 3: an approval binds to the credential and the operation", () => {
  let api: AttackApi;
  let worker: TestWorker;
  const asBob = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser(BOB, path, init);
  const bobDefault = () => addAttackConnection(worker, "default", { type: "bearer", token: BOB_TOKEN }, { email: BOB });
  const deleteBobDefault = async () => expect((await asBob("/api/integrations/attack_api/connections/default", { method: "DELETE" })).status).toBe(204);
  const refresh = async () => {
    const response = await worker.asUser(ADMIN, "/api/integrations/attack_api/refresh", { method: "POST", body: "{}" });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: SHARED_TOKEN }, { shared: true });
    await bobDefault();
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("item 3: the pause names the connection it will use, and whether it is shared", async () => {
    const paused = await execute(worker, WRITE("3-view"), BOB);
    expect(paused.status).toBe("paused");
    expect(paused.approval as ApprovalView).toMatchObject({ tool: "attack_api.attack.write", connection: "default", connectionShared: false });
    const history = await readHistory(worker, paused.executionId, BOB);
    const call = history!.record.calls.find((candidate) => candidate.status === "awaiting_approval");
    expect(call).toMatchObject({ tool: "attack_api.attack.write", connection: "default", connectionShared: false });

    // The admin has no personal connection: the same call would use the shared one, and says so.
    const adminPaused = await execute(worker, WRITE("3-view-admin"), ADMIN);
    expect(adminPaused.approval as ApprovalView).toMatchObject({ connection: "default", connectionShared: true });
  });

  it("item 3: the user deletes the personal connection after the approval → approval_stale, nothing sent", async () => {
    const paused = await execute(worker, WRITE("3-deleted"), BOB);
    expect(paused.status).toBe("paused");
    expect((await decide(worker, paused.executionId, paused.approval!.callId, "approve")).status).toBe(200);
    await deleteBobDefault();
    try {
      const done = await resume(worker, paused.executionId, 0, BOB);
      expect(writesWith(api, "3-deleted"), "the write must not be sent with the shared credential nobody approved").toEqual([]);
      expect(done).toMatchObject({ status: "failed", error: { code: "approval_stale" } });
    } finally {
      await bobDefault();
    }
  });

  it("item 3: a personal connection added after the approval (the call would switch credential) → approval_stale", async () => {
    await deleteBobDefault();
    try {
      const paused = await execute(worker, WRITE("3-added"), BOB);
      expect(paused.approval as ApprovalView).toMatchObject({ connection: "default", connectionShared: true });
      await decide(worker, paused.executionId, paused.approval!.callId, "approve");
      await bobDefault();
      const done = await resume(worker, paused.executionId, 0, BOB);
      expect(writesWith(api, "3-added")).toEqual([]);
      expect(done).toMatchObject({ status: "failed", error: { code: "approval_stale" } });
    } finally {
      // Whatever happened above, Bob has his personal default again.
      await asBob("/api/integrations/attack_api/connections/default", { method: "DELETE" });
      await bobDefault();
    }
  });

  it.each([
    ["its path", "moved" as const],
    ["its method", "method" as const],
  ])("item 3: the admin refreshes the integration and the approved operation changed %s → approval_stale, nothing sent", async (_what, variant) => {
    const note = `3-refresh-${variant}`;
    const paused = await execute(worker, WRITE(note), BOB);
    expect(paused.status).toBe("paused");
    await decide(worker, paused.executionId, paused.approval!.callId, "approve");
    api.settings.writeVariant = variant;
    try {
      await refresh();
      const done = await resume(worker, paused.executionId, 0, BOB);
      expect(writesWith(api, note), "a request nobody approved must not be sent").toEqual([]);
      expect(done).toMatchObject({ status: "failed", error: { code: "approval_stale" } });
    } finally {
      api.settings.writeVariant = "original";
      await refresh();
    }
  });

  it("item 3: unchanged bindings → sent once, with the personal token", async () => {
    const paused = await execute(worker, WRITE("3-same"), BOB);
    await decide(worker, paused.executionId, paused.approval!.callId, "approve");
    const done = await resume(worker, paused.executionId, 0, BOB);
    expect(done).toMatchObject({ status: "completed", result: { written: true } });
    const sent = writesWith(api, "3-same");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.token).toBe(BOB_TOKEN);
    expect(sent[0]!.path).toBe("/v1/write");
    expect(sent[0]!.method).toBe("POST");
  });
});

describe("item 4: a call in flight when the program pauses is recorded and never sent twice", () => {
  let api: AttackApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startAttackApi({ slowMs: 3_000 });
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", SANDBOX_TIMEOUT_MS: "2000" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: SHARED_TOKEN }, { shared: true });
    await addPolicy(worker, "attack_api.attack.slow", "allow");
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("item 4: a slow allowed POST started before a write that needs approval: paused with its outcome, sent once in total", async () => {
    const slowPosts = () => api.requests.filter((request) => request.method === "POST" && request.path === "/v1/slow").length;
    const paused = await execute(
      worker,
      `const p = tools.attack_api.attack.slow({});
       const w = await tools.attack_api.attack.write({ body: { note: "4" } });
       return [await p, w];`,
    );
    expect(paused.error, JSON.stringify(paused.error)).toBeUndefined();
    expect(paused.status).toBe("paused");
    const history = await readHistory(worker, paused.executionId);
    const slow = history!.record.calls.find((call) => call.tool === "attack_api.attack.slow");
    expect(slow, `the pause must record the slow call: ${JSON.stringify(history!.record.calls)}`).toBeDefined();
    expect(slow!.status).toBe("ok");

    await decide(worker, paused.executionId, paused.approval!.callId, "approve");
    const done = await resume(worker, paused.executionId);
    expect(done).toMatchObject({ status: "completed", result: [{ slow: true }, { written: true }] });
    expect(slowPosts(), "POST /slow must be sent exactly once over pause and resume").toBe(1);
    expect(writesWith(api, "4")).toHaveLength(1);
  });
});

describe("item 5: two resumes racing for the same approved execution send the approved call once", () => {
  let api: AttackApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startAttackApi();
    // The default sandbox memory (32 MiB) lets two programs fill the isolate's 64 MiB budget.
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", SANDBOX_TIMEOUT_MS: "20000" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: SHARED_TOKEN }, { shared: true });
  });
  afterAll(async () => {
    api.release();
    await worker.close();
    await api.close();
  });

  const row = (id: string) => worker.db.prepare("SELECT status, version, updated_at FROM executions WHERE id = ?").bind(id).first<{ status: string; version: number; updated_at: number }>();

  /**
   * Resumes `id` over /mcp in one JSON-RPC batch with a resume of `keepAlive` (an undecided
   * pause, which polls D1 on a timer). workerd cancels a request that only waits on a promise
   * another request resolves (a sandbox slot) as hung; the polling resume beside it keeps this
   * request alive, so the resume really waits for its slot, as it would behind slow programs.
   */
  const batchedResume = async (id: string, keepAlive: string) => {
    const token = await worker.issuer.user(ADMIN);
    const call = (rpcId: number, executionId: string, waitSeconds: number) => ({
      jsonrpc: "2.0",
      id: rpcId,
      method: "tools/call",
      params: { name: "resume", arguments: { executionId, waitSeconds } },
    });
    const response = await worker.fetch("/mcp", {
      method: "POST",
      headers: { "cf-access-jwt-assertion": token, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify([call(1, keepAlive, 20), call(2, id, 0)]),
    });
    return { status: response.status, text: await response.text() };
  };
  const settled = (answer: Promise<{ status: number; text: string }>) => answer.catch((error: unknown) => ({ status: 0, text: String(error) }));

  it("item 5: a resume waiting for a sandbox slot is taken over as abandoned; the approved write is still sent once", async () => {
    const paused = await execute(worker, WRITE("5-race"));
    expect(paused.status).toBe("paused");
    expect((await decide(worker, paused.executionId, paused.approval!.callId, "approve")).status).toBe(200);
    // Two undecided pauses whose resumes keep the racing requests alive.
    const keepAlive = [await execute(worker, WRITE("5-keepalive-1")), await execute(worker, WRITE("5-keepalive-2"))];

    // Two long-running programs take the whole sandbox budget, so resumes wait for a slot.
    api.hold();
    // (Settled either way, so a run still open when the Worker closes is no unhandled rejection.)
    const holds = ["hold-1", "hold-2"].map((tag) =>
      execute(worker, `return await tools.attack_api.attack.hold({ tag: "${tag}" })`).catch((error: unknown) => ({ status: `request failed: ${String(error)}` })),
    );
    try {
      expect(await waitUntil(() => api.requests.filter((request) => request.path === "/v1/hold").length === 2, 10_000), "both holding programs run").toBe(true);

      // The first resume waits for a slot before it claims anything: the execution stays paused.
      const first = settled(batchedResume(paused.executionId, keepAlive[0]!.executionId));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await row(paused.executionId))?.status, "a resume claims only once it has a slot").toBe("paused");

      // A claim whose isolate looks dead (claimed an hour ago, never finished) may be taken
      // over: both waiting resumes race for it once the slots free, and only one may win.
      const before = (await row(paused.executionId))!;
      await worker.db
        .prepare("UPDATE executions SET status = 'running', version = ?, updated_at = ? WHERE id = ?")
        .bind(before.version + 1, Date.now() - 3_600_000, paused.executionId)
        .run();
      const second = settled(batchedResume(paused.executionId, keepAlive[1]!.executionId));
      await new Promise((resolve) => setTimeout(resolve, 500));

      api.release();
      await waitUntil(async () => (await row(paused.executionId))!.status !== "running", 15_000);
      for (const pause of keepAlive) await worker.asUser(ADMIN, `/api/executions/${pause.executionId}/cancel`, { method: "POST" });
      for (const answer of await Promise.all([first, second])) expect(answer.status, answer.text).toBe(200);
      for (const hold of await Promise.all(holds)) expect(hold.status).toBe("completed");

      const record = await waitForHistory(worker, paused.executionId, (candidate) => candidate.status !== "running", 10_000);
      expect(writesWith(api, "5-race"), "the approved write must be sent exactly once").toHaveLength(1);
      expect(record?.status).toBe("completed");
      expect(record!.calls.filter((call) => call.tool === "attack_api.attack.write")).toMatchObject([{ status: "ok", decision: "approved" }]);
    } finally {
      api.release();
    }
  });

  it("item 5: a run taken over mid-call does not overwrite its successor, and nothing is sent twice", async () => {
    const paused = await execute(worker, `return await tools.attack_api.attack.slow({})`);
    expect(paused.status).toBe("paused");
    expect((await decide(worker, paused.executionId, paused.approval!.callId, "approve")).status).toBe(200);
    const slowSent = () => api.requests.filter((request) => request.path === "/v1/slow").length;

    // Resume A sends the approved call (the upstream takes 3 s to answer).
    const first = resume(worker, paused.executionId, 0);
    expect(await waitUntil(() => slowSent() === 1, 5_000), "the first resume sends the call").toBe(true);
    // Its isolate looks dead: resume B takes the execution over and replays it.
    await worker.db.prepare("UPDATE executions SET updated_at = ? WHERE id = ?").bind(Date.now() - 3_600_000, paused.executionId).run();
    const second = await resume(worker, paused.executionId, 0);
    // The call was in flight, so B answers it `interrupted` and never sends it again.
    expect(second).toMatchObject({ status: "failed", error: { code: "interrupted" } });

    // A's call comes back; its writes are refused (B holds the execution now) and it reports B's outcome.
    const firstView = await first;
    expect(firstView).toMatchObject({ status: "failed", error: { code: "interrupted" } });
    expect(slowSent(), "the approved call is sent once").toBe(1);
    const record = await readHistory(worker, paused.executionId);
    expect(record?.record.status).toBe("failed");
    expect(record?.record.error).toMatchObject({ code: "interrupted" });
  });
});
