/**
 * Found while building issue 13's item 5 (not one of its items): a program that has to wait for
 * a sandbox slot waits on a promise that another request resolves. workerd cancels such a
 * request as hung ("your Worker's code had hung") as soon as it has no I/O of its own pending,
 * and the canceled waiter's reservation is still granted when a slot frees, so the budget
 * shrinks for the isolate's lifetime. These tests hold that a queued program waits and runs,
 * and that the budget is whole afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, startAttackApi, type AttackApi } from "../harness/attack-api";
import { waitUntil } from "../harness/history";
import { startWorker, type TestWorker } from "../harness/worker";

describe("sandbox slots through the Worker", () => {
  let api: AttackApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startAttackApi();
    // 32 MiB per program (the default): two programs fill the isolate's 64 MiB budget.
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", SANDBOX_TIMEOUT_MS: "20000" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "shared-token-0123456789" }, { shared: true });
  });
  afterAll(async () => {
    api.release();
    await worker.close();
    await api.close();
  });

  const run = (code: string) =>
    worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: JSON.stringify({ code }) })      .then(async (response) => ({ status: response.status, text: await response.text() }))
      // A request still open when the Worker closes must not become an unhandled rejection.
      .catch((error: unknown) => ({ status: 0, text: String(error) }));
  const holdsSeen = () => api.requests.filter((request) => request.path === "/v1/hold").length;

  it("a program queued behind a full budget waits for its slot and runs; the budget is whole afterwards", async () => {
    api.hold();
    const holds = ["slot-1", "slot-2"].map((tag) => run(`return await tools.attack_api.attack.hold({ tag: "${tag}" })`));
    try {
      expect(await waitUntil(() => holdsSeen() === 2, 10_000)).toBe(true);
      const queued = run("return 3");
      // Long enough for workerd to judge the waiting request hung, if it does.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      api.release();
      const answer = await queued;
      expect(answer.status, answer.text).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ status: "completed", result: 3 });
      for (const hold of await Promise.all(holds)) expect(hold.status).toBe(200);

      // Two programs still fit side by side: nothing of the budget was lost.
      api.hold();
      const again = ["slot-3", "slot-4"].map((tag) => run(`return await tools.attack_api.attack.hold({ tag: "${tag}" })`));
      expect(await waitUntil(() => holdsSeen() === 4, 5_000), "two programs should run at once again").toBe(true);
      api.release();
      for (const hold of await Promise.all(again)) expect(hold.status, hold.text).toBe(200);
    } finally {
      api.release();
    }
  });
});
