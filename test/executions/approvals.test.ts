/**
 * Durable approvals: a call that needs a human pauses the execution in D1; a human decides
 * in the console; `resume` replays the program from its journal on any isolate, and the
 * approved call runs exactly once. The side effect used here is the built-in
 * `executor.policies.create`, a write (approval by default) whose rows can be counted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { decide, execute, resume } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

const CREATE_POLICY = `
const before = await tools.executor.policies.list();
const created = await tools.executor.policies.create({ pattern: "demo.*", action: "block" });
console.log("created", created.id);
return { before: before.total, created: created.pattern };
`;

async function policyCount(worker: TestWorker): Promise<number> {
  return (await worker.db.prepare("SELECT count(*) AS n FROM policies").first<{ n: number }>())!.n;
}

describe("approve, then resume on another isolate", () => {
  const persist = mkdtempSync(join(tmpdir(), "executor-d1-"));
  afterAll(() => rmSync(persist, { recursive: true, force: true }));

  it("pauses, is approved, and completes on a new Miniflare instance with the tool run once", async () => {
    const first = await startWorker({ d1Persist: persist });
    const paused = await execute(first, CREATE_POLICY);
    expect(paused.status).toBe("paused");
    expect(paused.approval).toMatchObject({
      callId: 1,
      tool: "executor.policies.create",
      args: { pattern: "demo.*", action: "block" },
      url: `https://executor.test/executions/${paused.executionId}`,
    });
    expect(Date.parse(paused.approval!.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(await policyCount(first)).toBe(0);

    const approved = await decide(first, paused.executionId, 1, "approve");
    expect(approved.status).toBe(200);
    await first.close();

    const second = await startWorker({ d1Persist: persist, issuer: first.issuer, migrate: false });
    try {
      const done = await resume(second, paused.executionId);
      expect(done).toMatchObject({ status: "completed", result: { before: 0, created: "demo.*" } });
      expect(done.logs[0]).toMatch(/^created pol_/);
      expect(await policyCount(second)).toBe(1);

      // Resuming again answers the finished execution; nothing runs twice.
      expect(await resume(second, paused.executionId)).toMatchObject({ status: "completed" });
      expect(await policyCount(second)).toBe(1);

      const history = (await (await second.asUser("admin@example.com", `/api/executions/${paused.executionId}`)).json()) as {
        status: string;
        identity: { id: string };
        calls: { callId: number; tool: string; policy: string; status: string; decision: string | null; decidedBy: string | null }[];
      };
      expect(history.status).toBe("completed");
      expect(history.identity.id).toBe("user:admin@example.com");
      expect(history.calls).toMatchObject([
        { callId: 0, tool: "executor.policies.list", policy: "allow", status: "ok", decision: null },
        { callId: 1, tool: "executor.policies.create", policy: "approve", status: "ok", decision: "approved", decidedBy: "admin@example.com" },
      ]);
    } finally {
      await second.close();
    }
  });
});

describe("decisions", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { ADMIN_EMAILS: "admin@example.com" } });
  });
  afterAll(() => worker.close());

  it("a declined call throws `declined`, which the program may catch", async () => {
    const paused = await execute(
      worker,
      `try { await tools.executor.policies.create({ pattern: "x.*", action: "allow" }); return "ran" } catch (e) { return { code: e.code, message: e.message } }`,
    );
    expect(paused.status).toBe("paused");
    expect((await decide(worker, paused.executionId, 0, "decline", "bob@example.com")).status).toBe(200);
    const done = await resume(worker, paused.executionId);
    expect(done.status).toBe("completed");
    expect(done.result).toMatchObject({ code: "declined" });
    expect((done.result as { message: string }).message).toContain("bob@example.com");
  });

  it("an uncaught decline fails the execution with `declined`", async () => {
    const paused = await execute(worker, `await tools.executor.policies.create({ pattern: "y.*", action: "allow" }); return 1`);
    await decide(worker, paused.executionId, 0, "decline");
    expect(await resume(worker, paused.executionId)).toMatchObject({ status: "failed", error: { code: "declined" } });
  });

  it("a decision is single-use: the second gets 409", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "z.*", action: "allow" })`);
    expect((await decide(worker, paused.executionId, 0, "approve")).status).toBe(200);
    await expectError(await decide(worker, paused.executionId, 0, "decline"), 409, "conflict");
    await expectError(await decide(worker, paused.executionId, 0, "approve", "bob@example.com"), 409, "conflict");
  });

  it("only the paused call can be decided", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "w.*", action: "allow" })`);
    await expectError(await decide(worker, paused.executionId, 5, "approve"), 409, "conflict");
    await expectError(await decide(worker, "ex_missing", 0, "approve"), 404, "not_found");
  });

  it("a service identity can never approve, not even with browser headers", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "s.*", action: "allow" })`);
    const token = await worker.issuer.service("ci-bot.access");
    const response = await worker.fetch(`/api/executions/${paused.executionId}/approve`, {
      method: "POST",
      headers: { "cf-access-jwt-assertion": token, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ callId: 0 }),
    });
    await expectError(response, 403, "forbidden");
  });

  it("a decision must come from the console: no Sec-Fetch-Site same-origin → 403; cross-site → 403", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "t.*", action: "allow" })`);
    const bare = await worker.asUser("admin@example.com", `/api/executions/${paused.executionId}/approve`, { method: "POST", body: JSON.stringify({ callId: 0 }) });
    await expectError(bare, 403, "forbidden");
    await expectError(await decide(worker, paused.executionId, 0, "approve", "admin@example.com", { origin: "https://evil.example" }), 403, "forbidden");
    await expectError(await decide(worker, paused.executionId, 0, "approve", "admin@example.com", { "sec-fetch-site": "cross-site" }), 403, "forbidden");
    expect((await resume(worker, paused.executionId)).status).toBe("paused");
  });

  it("resume on an undecided execution waits a bounded time and answers paused again", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "u.*", action: "allow" })`);
    const started = Date.now();
    const again = await resume(worker, paused.executionId, 1);
    expect(again.status).toBe("paused");
    expect(again.approval?.callId).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("a changed program on replay fails with replay_diverged", async () => {
    const paused = await execute(worker, `const r = await tools.executor.policies.list(); return await tools.executor.policies.create({ pattern: "d.*", action: "allow" })`);
    await decide(worker, paused.executionId, 1, "approve");
    await worker.db
      .prepare("UPDATE executions SET code = ? WHERE id = ?")
      .bind(`const r = await tools.executor.integrations.list(); return await tools.executor.policies.create({ pattern: "d.*", action: "allow" })`, paused.executionId)
      .run();
    const done = await resume(worker, paused.executionId);
    expect(done).toMatchObject({ status: "failed", error: { code: "replay_diverged" } });
    expect(await worker.db.prepare("SELECT count(*) AS n FROM policies WHERE pattern = 'd.*'").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("other arguments at the approved position diverge too: an approval binds to the exact arguments", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "e.*", action: "allow" })`);
    await decide(worker, paused.executionId, 0, "approve");
    await worker.db
      .prepare("UPDATE executions SET code = ? WHERE id = ?")
      .bind(`return await tools.executor.policies.create({ pattern: "*", action: "allow" })`, paused.executionId)
      .run();
    expect(await resume(worker, paused.executionId)).toMatchObject({ status: "failed", error: { code: "replay_diverged" } });
    expect(await worker.db.prepare("SELECT count(*) AS n FROM policies WHERE pattern = '*'").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("a call in flight when its isolate died is never sent again: it fails with `interrupted`", async () => {
    const paused = await execute(worker, `try { return await tools.executor.policies.create({ pattern: "i.*", action: "allow" }) } catch (e) { return e.code }`);
    await decide(worker, paused.executionId, 0, "approve");
    // What a dead isolate leaves behind: the execution claimed long ago, the call marked in flight.
    await worker.db.batch([
      worker.db.prepare("UPDATE executions SET status = 'running', updated_at = ? WHERE id = ?").bind(Date.now() - 3600_000, paused.executionId),
      worker.db.prepare("UPDATE execution_calls SET status = 'in_flight' WHERE execution_id = ? AND seq = 0").bind(paused.executionId),
    ]);
    const done = await resume(worker, paused.executionId);
    expect(done).toMatchObject({ status: "completed", result: "interrupted" });
    expect(await worker.db.prepare("SELECT count(*) AS n FROM policies WHERE pattern = 'i.*'").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("the owner or an admin can cancel a paused execution; others cannot", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "c.*", action: "allow" })`, "bob@example.com");
    await expectError(await worker.asUser("carol@example.com", `/api/executions/${paused.executionId}/cancel`, { method: "POST" }), 403, "forbidden");
    const cancelled = await worker.asUser("bob@example.com", `/api/executions/${paused.executionId}/cancel`, { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(await resume(worker, paused.executionId, 0, "bob@example.com")).toMatchObject({ status: "cancelled" });
    await expectError(await decide(worker, paused.executionId, 0, "approve"), 409, "conflict");
  });

  it("a non-admin's approved policy write is refused by the tool itself", async () => {
    const paused = await execute(worker, `try { return await tools.executor.policies.create({ pattern: "n.*", action: "allow" }) } catch (e) { return [e.code, e.status] }`, "bob@example.com");
    await decide(worker, paused.executionId, 0, "approve");
    expect(await resume(worker, paused.executionId, 0, "bob@example.com")).toMatchObject({ status: "completed", result: ["upstream_error", 403] });
  });
});

describe("resumed by someone else", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { ADMIN_EMAILS: "admin@example.com" } });
  });
  afterAll(() => worker.close());

  it("an admin resuming a member's execution does not lend it admin rights: calls act for the owner", async () => {
    const paused = await execute(worker, `try { return await tools.executor.policies.create({ pattern: "m.*", action: "allow" }) } catch (e) { return [e.code, e.status] }`, "bob@example.com");
    await decide(worker, paused.executionId, 0, "approve");
    expect(await resume(worker, paused.executionId, 0, "admin@example.com")).toMatchObject({ status: "completed", result: ["upstream_error", 403] });
    expect(await worker.db.prepare("SELECT count(*) AS n FROM policies").first<{ n: number }>()).toEqual({ n: 0 });
  });
});

describe("expiry", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    // About one second.
    worker = await startWorker({ bindings: { APPROVAL_TTL_HOURS: "0.0003" } });
  });
  afterAll(() => worker.close());

  it("a pause nobody decides expires: resume reports expired, a late decision gets 410", async () => {
    const paused = await execute(worker, `return await tools.executor.policies.create({ pattern: "x.*", action: "allow" })`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await expectError(await decide(worker, paused.executionId, 0, "approve"), 410, "expired");
    expect(await resume(worker, paused.executionId)).toMatchObject({ status: "expired", error: { code: "expired" } });
  });
});
