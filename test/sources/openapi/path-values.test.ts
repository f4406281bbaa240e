/**
 * Issue 13, item 7, through the built Worker: a path parameter's value is one path segment and
 * nothing more. `.` and `..` are segments the URL parser resolves, so
 * `GET /files/{name}/meta` with name `..` would become `GET /meta`, another operation with
 * its own policy; `%2e%2e` is what the same dots look like once encoded. Such values are
 * refused as `invalid_arguments` and the upstream receives nothing for the call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, addPolicy, startAttackApi, type AttackApi } from "../../harness/attack-api";
import { execute } from "../../harness/executions";
import { startWorker, type TestWorker } from "../../harness/worker";

describe("item 7: path parameter values cannot reach another operation", () => {
  let api: AttackApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "shared-token-0123456789" }, { shared: true });
    // The operation a traversal would land on is one the admin blocked.
    await addPolicy(worker, "attack_api.attack.meta", "block");
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("an ordinary value reaches its own operation (the set-up works)", async () => {
    const before = api.requests.length;
    const view = await execute(worker, `return await tools.attack_api.attack.fileMeta({ name: "report.txt" })`);
    expect(view).toMatchObject({ status: "completed", result: { file: "report.txt" } });
    expect(api.requests.slice(before).map((request) => request.path)).toEqual(["/v1/files/report.txt/meta"]);
  });

  it.each([".", "..", "%2e%2e", "%2E%2E", ".%2e"])("item 7: name %j → invalid_arguments, and the upstream gets no request", async (value) => {
    const before = api.requests.length;
    const view = await execute(worker, `try { await tools.attack_api.attack.fileMeta({ name: ${JSON.stringify(value)} }); return "sent" } catch (e) { return e.code }`);
    const received = api.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    expect(received, "the upstream must receive nothing for this call").toEqual([]);
    expect(view).toMatchObject({ status: "completed", result: "invalid_arguments" });
  });
});
