/**
 * The audit export through the built Worker: `GET /api/executions/export` streams NDJSON in
 * creation order across several pages (executions inserted straight into D1, with ties on
 * created_at across page boundaries), filters by time, and never carries a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWorker, type TestWorker } from "../harness/worker";

/** A fixed past moment, so the inserted history sorts before anything the test runs. */
const BASE = Date.parse("2026-01-01T00:00:00Z");
const INSERTED = 250;
/** Seven executions share each created_at, so page boundaries (every 100) fall inside a tie. */
const createdAt = (i: number) => BASE + Math.floor(i / 7) * 1000;
const idOf = (i: number) => `ex_exp_${String(i).padStart(3, "0")}`;

interface Line {
  id: string;
  createdAt: string;
  status: string;
  calls: { callId: number; decision: string | null; decidedBy: string | null }[];
  approvers: string[];
  toolkit: null;
  result?: unknown;
}

describe("GET /api/executions/export", () => {
  let worker: TestWorker;
  let api: ItemsApi;
  const admin = (path: string) => worker.asUser("admin@example.com", path);
  const exportLines = async (query: string): Promise<Line[]> => {
    const response = await admin(`/api/executions/export${query}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const text = await response.text();
    expect(text === "" || text.endsWith("\n")).toBe(true);
    return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Line);
  };

  beforeAll(async () => {
    api = await startItemsApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", EXPORT_SERVICE_TOKENS: "exporter.access" } });
    const insert = worker.db.prepare(
      "INSERT INTO executions (id, identity_id, identity_label, code, status, result, logs, seed, start_time, origin, version, created_at, updated_at, finished_at, duration_ms) VALUES (?, 'user:agent@example.com', 'agent@example.com', 'return 1', 'completed', '1', '[]', 1, ?, 'https://executor.test', 1, ?, ?, ?, 5)",
    );
    const call = worker.db.prepare(
      "INSERT INTO execution_calls (execution_id, seq, kind, address, args, policy, status, reply, decision, decided_by, decided_at, started_at, finished_at) VALUES (?, ?, 'tool', 'items_api.items.createItem', '{}', 'approve', 'ok', '{\"ok\":true,\"value\":1}', ?, ?, ?, ?, ?)",
    );
    const statements = [];
    for (let i = 0; i < INSERTED; i += 1) {
      const at = createdAt(i);
      statements.push(insert.bind(idOf(i), at, at, at, at));
      if (i % 10 === 0) {
        statements.push(call.bind(idOf(i), 0, "approved", "approver@example.com", at, at, at));
        statements.push(call.bind(idOf(i), 1, null, null, null, at, at));
      }
    }
    await worker.db.batch(statements);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("is for admins and the service tokens EXPORT_SERVICE_TOKENS names, and refuses a range it cannot read", async () => {
    await expectError(await worker.asUser("someone@example.com", "/api/executions/export"), 403, "forbidden");
    const asService = async (clientId: string) =>
      worker.fetch("/api/executions/export?since=2026-01-01T00:00:01Z&until=2026-01-01T00:00:02Z", { headers: { "cf-access-jwt-assertion": await worker.issuer.service(clientId) } });
    await expectError(await asService("other.access"), 403, "forbidden");
    const shipped = await asService("exporter.access");
    expect(shipped.status).toBe(200);
    expect((await shipped.text()).trim().split("\n").map((line) => (JSON.parse(line) as Line).id)).toEqual([7, 8, 9, 10, 11, 12, 13].map(idOf));
    // The same token is no admin anywhere else.
    await expectError(await worker.fetch("/api/admin/rotate-secrets", { method: "POST", headers: { "cf-access-jwt-assertion": await worker.issuer.service("exporter.access") } }), 403, "forbidden");
    await expectError(await admin("/api/executions/export?since=yesterday"), 400, "invalid_request");
    await expectError(await admin("/api/executions/export?since=2026-02-01&until=2026-01-01"), 400, "invalid_request");
    await expectError(await worker.asUser("admin@example.com", "/api/executions/export", { method: "POST" }), 405, "method_not_allowed");
  });

  it("streams every execution once, oldest first, across pages and ties, with calls, decisions and approvers", async () => {
    const lines = await exportLines(`?since=${new Date(BASE).toISOString()}&until=2026-01-02T00:00:00Z`);
    expect(lines.map((line) => line.id)).toEqual(Array.from({ length: INSERTED }, (_, i) => idOf(i)));
    expect(lines[0]).toMatchObject({ createdAt: "2026-01-01T00:00:00.000Z", status: "completed", toolkit: null, approvers: ["approver@example.com"] });
    expect(lines[0]!.calls).toMatchObject([
      { callId: 0, decision: "approved", decidedBy: "approver@example.com" },
      { callId: 1, decision: null, decidedBy: null },
    ]);
    expect(lines[1]).toMatchObject({ calls: [], approvers: [] });
  });

  it("keeps to [since, until)", async () => {
    const lines = await exportLines(`?since=${new Date(createdAt(140)).toISOString()}&until=${new Date(createdAt(210)).toISOString()}`);
    expect(lines.map((line) => line.id)).toEqual(Array.from({ length: 70 }, (_, i) => idOf(140 + i)));
    expect(await exportLines("?since=2025-01-01&until=2025-12-31")).toEqual([]);
  });

  it("carries large results whole and never a secret", async () => {
    const added = await worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) });
    expect(added.status).toBe(201);
    const connection = await worker.asUser("admin@example.com", "/api/integrations/items_api/connections", {
      method: "POST",
      body: JSON.stringify({ name: "work", shared: true, auth: { type: "bearer", token: CREDENTIALS.bearer } }),
    });
    expect(connection.status).toBe(201);
    const run = await execute(worker, `const echoed = await tools.items_api.debug.echoAuth({}); return { echoed, big: "x".repeat(300000) }`);
    expect(run.status).toBe("completed");
    await new Promise((resolve) => setTimeout(resolve, 300));

    const response = await admin(`/api/executions/export?since=${new Date(Date.now() - 60_000).toISOString()}`);
    const text = await response.text();
    const lines = text.trim().split("\n").map((line) => JSON.parse(line) as Line);
    expect(lines.map((line) => line.id)).toEqual([run.executionId]);
    expect((lines[0]!.result as { big: string }).big).toHaveLength(300000);
    expect(text).not.toContain(CREDENTIALS.bearer);
    const sealed = (await worker.db.prepare("SELECT ciphertext FROM secrets").all<{ ciphertext: string }>()).results;
    expect(sealed.length).toBeGreaterThan(0);
    for (const { ciphertext } of sealed) expect(text).not.toContain(ciphertext.split(".").at(-1));
  });
});
