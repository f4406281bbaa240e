/**
 * Issue 13, item 14: APPROVER_AUD. One Worker may sit behind two Access applications: one an
 * agent's MCP client signs into (`aud-mcp`) and the console (`aud-console`). A person's
 * assertion for the MCP application proves they run an agent, not that they are at the
 * console; with APPROVER_AUD set, approving or declining needs an assertion whose `aud` names
 * it. Without the setting, any accepted audience may decide, as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { startWorker, WORKER_ORIGIN, type TestWorker } from "../harness/worker";

const PAUSING = (pattern: string) => `return await tools.executor.policies.create({ pattern: "${pattern}", action: "block" })`;

/** A decision as the console sends it, with an assertion for `audience`. */
async function decideWith(worker: TestWorker, id: string, decision: "approve" | "decline", email: string, audience: string[]): Promise<Response> {
  const token = await worker.issuer.user(email, {}, { audience });
  return worker.fetch(`/api/executions/${id}/${decision}`, {
    method: "POST",
    headers: { "cf-access-jwt-assertion": token, "sec-fetch-site": "same-origin", origin: WORKER_ORIGIN },
    body: JSON.stringify({ callId: 0 }),
  });
}

/** A paused execution started by the admin through the MCP application's audience. */
async function pausedExecution(worker: TestWorker, pattern: string): Promise<string> {
  const token = await worker.issuer.user("admin@example.com", {}, { audience: ["aud-mcp"] });
  const response = await worker.fetch("/api/executions", { method: "POST", headers: { "cf-access-jwt-assertion": token }, body: JSON.stringify({ code: PAUSING(pattern) }) });
  const view = (await response.json()) as { executionId: string; status: string };
  expect(view.status).toBe("paused");
  return view.executionId;
}

describe("item 14: with APPROVER_AUD", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { ACCESS_AUD: "aud-mcp,aud-console", APPROVER_AUD: "aud-console" } });
  });
  afterAll(() => worker.close());

  it("the MCP audience still runs programs (the set-up works)", async () => {
    await pausedExecution(worker, "set.up");
  });

  it.each(["approve", "decline"] as const)("item 14: a human whose aud is only aud-mcp gets 403 forbidden on %s", async (decision) => {
    const id = await pausedExecution(worker, `mcp.${decision}`);
    await expectError(await decideWith(worker, id, decision, "bob@example.com", ["aud-mcp"]), 403, "forbidden");
    // Nothing was decided: the call still waits.
    const call = await worker.db.prepare("SELECT decision FROM execution_calls WHERE execution_id = ? AND seq = 0").bind(id).first<{ decision: string | null }>();
    expect(call?.decision).toBeNull();
  });

  it.each([
    ["only aud-console", ["aud-console"]],
    ["aud-mcp and aud-console", ["aud-mcp", "aud-console"]],
  ])("item 14: a human whose aud is %s may approve", async (_name, audience) => {
    const id = await pausedExecution(worker, `console.${audience.length}`);
    const response = await decideWith(worker, id, "approve", "bob@example.com", audience);
    expect(response.status, await response.clone().text()).toBe(200);
  });
});

describe("item 14: without APPROVER_AUD, behaviour is as before", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { ACCESS_AUD: "aud-mcp,aud-console" } });
  });
  afterAll(() => worker.close());

  it("item 14: a human whose aud is only aud-mcp may approve", async () => {
    const id = await pausedExecution(worker, "plain.mcp");
    const response = await decideWith(worker, id, "approve", "bob@example.com", ["aud-mcp"]);
    expect(response.status, await response.clone().text()).toBe(200);
  });
});
