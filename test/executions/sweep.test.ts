/** The daily clean-up, triggered through the Worker's scheduled handler. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

let worker: TestWorker;
beforeAll(async () => {
  worker = await startWorker({ bindings: { EXECUTION_RETENTION_DAYS: "1" } });
});
afterAll(() => worker.close());

it("deletes executions past retention, closes abandoned runs, expires stale pauses", async () => {
  const old = await execute(worker, "console.log('old'); return 1");
  const abandoned = await execute(worker, "return 2");
  const stalePause = await execute(worker, `return await tools.executor.policies.create({ pattern: "s.*", action: "allow" })`);
  const fresh = await execute(worker, "return 3");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const hour = 3600_000;
  await worker.db.batch([
    worker.db.prepare("UPDATE executions SET created_at = ? WHERE id = ?").bind(Date.now() - 2 * 24 * hour, old.executionId),
    worker.db.prepare("UPDATE executions SET status = 'running', updated_at = ?, finished_at = NULL WHERE id = ?").bind(Date.now() - hour, abandoned.executionId),
    worker.db.prepare("UPDATE executions SET expires_at = ? WHERE id = ?").bind(Date.now() - 1000, stalePause.executionId),
  ]);

  const fetcher = await worker.mf.getWorker();
  const outcome = await fetcher.scheduled({ cron: "17 3 * * *" });
  expect(outcome.outcome).toBe("ok");
  await new Promise((resolve) => setTimeout(resolve, 300));

  const status = async (id: string) => (await worker.db.prepare("SELECT status, error FROM executions WHERE id = ?").bind(id).first<{ status: string; error: string | null }>()) ?? null;
  expect(await status(old.executionId)).toBeNull();
  expect(await status(abandoned.executionId)).toMatchObject({ status: "failed" });
  expect(JSON.parse((await status(abandoned.executionId))!.error!)).toMatchObject({ code: "interrupted" });
  expect(await status(stalePause.executionId)).toMatchObject({ status: "expired" });
  expect(await status(fresh.executionId)).toMatchObject({ status: "completed" });
  expect(worker.logs.join("\n")).toContain('"deleted":1');
});

it("deletes more old executions than one D1 statement may name", async () => {
  const old = Date.now() - 3 * 24 * 3600_000;
  const insert = worker.db.prepare(
    "INSERT INTO executions (id, identity_id, identity_label, code, status, seed, start_time, origin, version, created_at, updated_at) VALUES (?, 'user:a@example.com', 'a@example.com', 'return 1', 'completed', 1, ?, 'https://executor.test', 1, ?, ?)",
  );
  await worker.db.batch(Array.from({ length: 150 }, (_, i) => insert.bind(`ex_old_${i}`, old, old, old)));
  const fetcher = await worker.mf.getWorker();
  expect((await fetcher.scheduled({ cron: "17 3 * * *" })).outcome).toBe("ok");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await worker.db.prepare("SELECT count(*) AS n FROM executions WHERE id LIKE 'ex_old_%'").first<{ n: number }>()).toEqual({ n: 0 });
});

it("keeps up with more than one batch a day: every old execution goes in one run", async () => {
  const old = Date.now() - 3 * 24 * 3600_000;
  const insert = worker.db.prepare(
    "INSERT INTO executions (id, identity_id, identity_label, code, status, seed, start_time, origin, version, created_at, updated_at) VALUES (?, 'user:a@example.com', 'a@example.com', 'return 1', 'completed', 1, ?, 'https://executor.test', 1, ?, ?)",
  );
  // More than two of the sweep's 200-execution batches.
  await worker.db.batch(Array.from({ length: 450 }, (_, i) => insert.bind(`ex_backlog_${i}`, old, old, old)));
  const kept = await execute(worker, "return 'fresh'");
  await new Promise((resolve) => setTimeout(resolve, 200));
  worker.logs.splice(0);
  const fetcher = await worker.mf.getWorker();
  expect((await fetcher.scheduled({ cron: "17 3 * * *" })).outcome).toBe("ok");
  await expect.poll(async () => (await worker.db.prepare("SELECT count(*) AS n FROM executions WHERE id LIKE 'ex_backlog_%'").first<{ n: number }>())!.n, { timeout: 10_000 }).toBe(0);
  await expect.poll(() => worker.logs.join("\n")).toContain('"deleted":450');
  expect(await worker.db.prepare("SELECT status FROM executions WHERE id = ?").bind(kept.executionId).first()).toEqual({ status: "completed" });
});
