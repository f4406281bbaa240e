/**
 * How programs share the isolate's memory (worker/sandbox/slots.ts, docs/configuration.md).
 *
 * Found while building issue 13's item 5 (not one of its items): a program that has to wait for
 * a sandbox slot waits on a promise that another request resolves. workerd cancels such a
 * request as hung ("your Worker's code had hung") as soon as it has no I/O of its own pending,
 * and the canceled waiter's reservation is still granted when a slot frees, so the budget
 * shrinks for the isolate's lifetime. These tests hold that a queued program waits and runs,
 * and that the budget is whole afterwards.
 *
 * Issue 14: a spec import runs while no program holds sandbox memory (it waits for running
 * programs; programs arriving meanwhile wait for it), and an idle isolate gives back the wasm
 * memory a hungry program grew, read through workerd's inspector.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, startAttackApi, type AttackApi } from "../harness/attack-api";
import { waitUntil } from "../harness/history";
import { connectInspector, type Inspector } from "../harness/inspector";
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

  it("a spec import waits for a running program, and a program arriving meanwhile waits for the import", async () => {
    const finished: string[] = [];
    const note = <T>(name: string, promise: Promise<T>) => promise.then((value) => (finished.push(name), value));
    api.hold();
    try {
      const holding = note("program holding memory", run(`return await tools.attack_api.attack.hold({ tag: "import" })`));
      expect(await waitUntil(() => holdsSeen() === 5, 10_000)).toBe(true);
      const spec = { openapi: "3.0.3", info: { title: "Tiny", version: "1" }, servers: [{ url: "https://tiny.example.com" }], paths: { "/a": { get: { operationId: "a", responses: { "200": { description: "ok" } } } } } };
      const imported = note("import", worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", slug: "tiny", spec }) }).then((response) => response.status));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const later = note("program after the import", run("return 3"));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(finished, "nothing may finish while the first program holds its memory").toEqual([]);
      api.release();
      expect(await imported).toBe(201);
      expect(JSON.parse((await later).text)).toMatchObject({ status: "completed", result: 3 });
      expect((await holding).status).toBe(200);
      expect(finished).toEqual(["program holding memory", "import", "program after the import"]);
    } finally {
      api.release();
    }
  });
});

describe("the sandbox's wasm memory", () => {
  const INSPECTOR_PORT = 9300 + (process.pid % 50);
  let worker: TestWorker;
  let inspector: Inspector;
  const MiB = 1024 * 1024;

  beforeAll(async () => {
    worker = await startWorker({ inspectorPort: INSPECTOR_PORT });
    inspector = await connectInspector(INSPECTOR_PORT);
  });
  afterAll(async () => {
    inspector?.close();
    await worker?.close();
  });

  const execute = async (code: string) => (await worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: JSON.stringify({ code }) })).json() as Promise<{ status: string; error?: { code: string } }>;
  const wasmBytes = async () => {
    await inspector.collectGarbage();
    return (await inspector.wasmMemoryBytes()).reduce((sum, bytes) => sum + bytes, 0);
  };

  it("goes back to the module's base once a program that filled it has ended", async () => {
    expect(await execute("return 1")).toMatchObject({ status: "completed" });
    expect(await wasmBytes()).toBe(16 * MiB);
    expect(await execute(`const kept = []; for (;;) kept.push("x".repeat(1 << 20) + kept.length);`)).toMatchObject({ status: "failed", error: { code: "memory_limit" } });
    // The grown module was dropped when the program gave its slot back: nothing is left of it.
    expect(await wasmBytes()).toBe(0);
    expect(await execute("return 2")).toMatchObject({ status: "completed" });
    expect(await wasmBytes()).toBe(16 * MiB);
  });
});
