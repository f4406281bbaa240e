/**
 * Issue 13, items 1 and 2: every call that reaches an upstream is in the history with its
 * outcome, and call arguments are bounded. A program can start a call it never awaits (or
 * start one from a `toJSON` while its result is serialised) and return at once; the request
 * still goes out, so the record must still show it. An argument of megabytes must be refused
 * before anything is sent, not sent and then lost with a history write that fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, addPolicy, startAttackApi, type AttackApi } from "../harness/attack-api";
import { execute } from "../harness/executions";
import { readHistory, waitForHistory, waitUntil, type HistoryRecord } from "../harness/history";
import { startWorker, type TestWorker } from "../harness/worker";

const FINISHED = new Set(["ok", "error"]);

describe("recording calls and their arguments (issue 13)", () => {
  let api: AttackApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "shared-token-0123456789" }, { shared: true });
    await addPolicy(worker, "attack_api.attack.echo", "allow");
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  /** The upstream's requests to /v1/ping carrying one of `tags`. */
  const pings = (tags: string[]) => api.requests.filter((request) => request.path === "/v1/ping" && tags.includes(request.query.tag ?? ""));

  /**
   * The invariant: each request the upstream received for these tags is in the history
   * exactly once, finished (ok or error), never left in flight.
   */
  async function expectEveryRequestRecorded(id: string, tags: string[]): Promise<void> {
    // The request may go out after the answer; give it a bounded moment.
    const reached = await waitUntil(() => pings(tags).length === tags.length, 5_000);
    expect(reached, `the upstream should receive one /ping for each of ${tags.join(", ")}; it got ${pings(tags).length}`).toBe(true);
    const callsFor = (record: HistoryRecord | null, tag: string) => (record?.calls ?? []).filter((call) => (call.args as { tag?: string } | null)?.tag === tag);
    const record = await waitForHistory(worker, id, (candidate) => candidate.status !== "running" && tags.every((tag) => callsFor(candidate, tag).some((call) => FINISHED.has(call.status))));
    expect(record, "the execution should be in the history").not.toBeNull();
    for (const tag of tags) {
      const received = pings([tag]).length;
      const calls = callsFor(record, tag);
      expect(calls.length, `history calls for ${tag} (upstream received ${received}): ${JSON.stringify(record!.calls)}`).toBe(received);
      for (const call of calls) expect(FINISHED.has(call.status), `call ${tag} is ${call.status}, not ok/error`).toBe(true);
    }
  }

  it("item 1: a call nobody awaits reaches the upstream and is in the history with its outcome", async () => {
    const view = await execute(worker, `tools.attack_api.attack.ping({ tag: "unawaited-1" }); return 1;`);
    expect(view).toMatchObject({ status: "completed", result: 1 });
    await expectEveryRequestRecorded(view.executionId, ["unawaited-1"]);
  });

  it("item 1: several unawaited calls are each recorded exactly once", async () => {
    const view = await execute(worker, `for (const tag of ["many-1", "many-2", "many-3"]) tools.attack_api.attack.ping({ tag }); return "done";`);
    expect(view).toMatchObject({ status: "completed", result: "done" });
    await expectEveryRequestRecorded(view.executionId, ["many-1", "many-2", "many-3"]);
  });

  it("item 1: a call started by toJSON while the result is serialised is recorded too", async () => {
    const view = await execute(worker, `return { toJSON() { tools.attack_api.attack.ping({ tag: "tojson-1" }); return 1 } };`);
    expect(view).toMatchObject({ status: "completed", result: 1 });
    await expectEveryRequestRecorded(view.executionId, ["tojson-1"]);
  });

  it("item 2: arguments over 1 MiB are refused with invalid_arguments before anything is sent", async () => {
    const before = api.requests.filter((request) => request.path === "/v1/echo").length;
    const view = await execute(worker, `const data = "x".repeat(2_600_000); try { await tools.attack_api.attack.echo({ body: { data } }); return "sent" } catch (e) { return e.code }`);
    expect(view.error, JSON.stringify(view.error)).toBeUndefined();
    expect(view).toMatchObject({ status: "completed", result: "invalid_arguments" });
    expect(api.requests.filter((request) => request.path === "/v1/echo").length, "the upstream must never see the oversized call").toBe(before);
    const record = await waitForHistory(worker, view.executionId, (candidate) => candidate.status !== "running");
    expect(record?.status).toBe("completed");
  });

  it("item 2: an uncaught oversized call fails the execution, which never stays running", async () => {
    const before = api.requests.filter((request) => request.path === "/v1/echo").length;
    const view = await execute(worker, `await tools.attack_api.attack.echo({ body: { data: "y".repeat(2_600_000) } }); return "sent"`);
    // Checked first: today the record of such a run cannot be written, so the history shows it
    // `running` for good (or, when it finished within 100 ms, not at all).
    const record = await waitForHistory(worker, view.executionId, (candidate) => candidate.status !== "running", 10_000);
    expect(record?.status ?? "missing", "the history must show the execution finished").not.toMatch(/^(running|missing)$/);
    expect(view).toMatchObject({ status: "failed", error: { code: "invalid_arguments" } });
    expect(api.requests.filter((request) => request.path === "/v1/echo").length).toBe(before);
    expect(record).toMatchObject({ status: "failed", error: { code: "invalid_arguments" } });
  });

  it("item 2: a ~600 KB argument is sent once and kept whole in the history", async () => {
    const before = api.requests.filter((request) => request.path === "/v1/echo").length;
    const view = await execute(worker, `return await tools.attack_api.attack.echo({ body: { data: "z".repeat(600_000) } })`);
    expect(view.error, JSON.stringify(view.error)).toBeUndefined();
    expect(view.status).toBe("completed");
    const sent = api.requests.filter((request) => request.path === "/v1/echo").slice(before);
    expect(sent).toHaveLength(1);
    expect((JSON.parse(sent[0]!.body) as { data: string }).data).toHaveLength(600_000);
    const record = await waitForHistory(worker, view.executionId, (candidate) => candidate.status !== "running" && candidate.calls.length > 0, 10_000);
    expect(record?.status, "the history must record the run").toBe("completed");
    const call = record!.calls.find((candidate) => candidate.tool === "attack_api.attack.echo");
    expect(call?.status).toBe("ok");
    expect((call?.args as { body: { data: string } }).body.data).toBe("z".repeat(600_000));
    // Stored split like results: no single D1 value holds the whole argument.
    const row = await worker.db.prepare("SELECT length(args) AS n FROM execution_calls WHERE execution_id = ?").bind(view.executionId).first<{ n: number }>();
    expect(row!.n).toBeLessThan(600_000);
    expect((await readHistory(worker, view.executionId))?.record.calls).toHaveLength(1);
  });
});
