/** /api/policies and /api/tools through the Worker, and policies applied to running programs. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

interface PolicyView {
  id: string;
  pattern: string;
  action: string;
  position: number;
}

describe("policies", () => {
  let worker: TestWorker;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const create = async (body: unknown) => {
    const response = await admin("/api/policies", { method: "POST", body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as PolicyView;
  };
  const list = async () => ((await (await admin("/api/policies")).json()) as { items: PolicyView[] }).items;

  beforeAll(async () => {
    worker = await startWorker();
  });
  beforeEach(async () => {
    await worker.db.batch([worker.db.prepare("DELETE FROM policies"), worker.db.prepare("UPDATE revisions SET value = value + 1 WHERE name = 'policies'")]);
  });
  afterAll(() => worker.close());

  it("admins create, reorder and delete rules; positions stay 0..n-1", async () => {
    const a = await create({ pattern: "a.*", action: "allow" });
    const b = await create({ pattern: "b.*", action: "block" });
    const c = await create({ pattern: "c.*", action: "approve", position: 0 });
    expect((await list()).map((p) => [p.pattern, p.position])).toEqual([["c.*", 0], ["a.*", 1], ["b.*", 2]]);

    const moved = await admin(`/api/policies/${b.id}`, { method: "PATCH", body: JSON.stringify({ position: 0, action: "allow" }) });
    expect(moved.status).toBe(200);
    expect((await list()).map((p) => [p.pattern, p.action, p.position])).toEqual([["b.*", "allow", 0], ["c.*", "approve", 1], ["a.*", "allow", 2]]);

    expect((await admin(`/api/policies/${c.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await list()).map((p) => [p.pattern, p.position])).toEqual([["b.*", 0], ["a.*", 1]]);
    await expectError(await admin(`/api/policies/${c.id}`, { method: "DELETE" }), 404, "not_found");
    expect(a.position).toBe(0);
  });

  it("refuses bad input with details naming each field, and writes nothing", async () => {
    const response = await admin("/api/policies", { method: "POST", body: JSON.stringify({ pattern: "bad pattern", action: "maybe", position: -1 }) });
    const body = await expectError(response, 400, "invalid_request");
    expect((body.error.details as { field: string }[]).map((d) => d.field)).toEqual(["pattern", "action", "position"]);
    await expectError(await admin("/api/policies", { method: "POST", body: "not json" }), 400, "invalid_request");
    expect(await list()).toEqual([]);
  });

  it("only admins write; everyone reads", async () => {
    await expectError(await worker.asUser("bob@example.com", "/api/policies", { method: "POST", body: JSON.stringify({ pattern: "x.*", action: "allow" }) }), 403, "forbidden");
    const service = await worker.issuer.service("ci.access");
    await expectError(
      await worker.fetch("/api/policies", { method: "POST", headers: { "cf-access-jwt-assertion": service }, body: JSON.stringify({ pattern: "x.*", action: "allow" }) }),
      403,
      "forbidden",
    );
    expect((await worker.asUser("bob@example.com", "/api/policies")).status).toBe(200);
  });

  it("a blocked tool is invisible to programs and fails with `blocked`; admins still see it in /api/tools", async () => {
    await create({ pattern: "executor.executions.*", action: "block" });
    const result = await execute(
      worker,
      `const found = await tools.search("executions");
       let code; try { await tools.executor.executions.list() } catch (e) { code = e.code }
       let described; try { await tools.describe("executor.executions.list") } catch (e) { described = e.code }
       return { found: found.items.map(i => i.address), code, described }`,
    );
    expect(result.result).toEqual({ found: [], code: "blocked", described: "blocked" });

    const adminView = (await (await admin("/api/tools?q=executions")).json()) as { items: { address: string; policy: string }[] };
    expect(adminView.items).toContainEqual(expect.objectContaining({ address: "executor.executions.list", policy: "block" }));
    const bobView = (await (await worker.asUser("bob@example.com", "/api/tools?q=executions")).json()) as { items: unknown[] };
    expect(bobView.items).toEqual([]);
    await expectError(await worker.asUser("bob@example.com", "/api/tools/executor.executions.list"), 404, "not_found");
  });

  it("rules override the default in order: allow lets a write run without a pause", async () => {
    await create({ pattern: "executor.policies.create", action: "allow" });
    await create({ pattern: "executor.*", action: "block" });
    const result = await execute(worker, `return (await tools.executor.policies.create({ pattern: "z.*", action: "approve" })).pattern`);
    expect(result).toMatchObject({ status: "completed", result: "z.*" });
    const blocked = await execute(worker, `try { await tools.executor.policies.list() } catch (e) { return e.code }`);
    expect(blocked.result).toBe("blocked");
  });

  it("search marks tools that need approval; describe gives a TypeScript signature", async () => {
    const result = await execute(
      worker,
      `const s = await tools.search("create policy rule");
       const d = await tools.describe(s.items[0].address);
       return { first: s.items[0], typescript: d.typescript }`,
    );
    expect(result.result).toMatchObject({ first: { address: "executor.policies.create", requiresApproval: true } });
    expect((result.result as { typescript: string }).typescript).toMatch(/^\(args: \{.*pattern: string.*\}\) => Promise<\{/);
  });

  it("GET /api/tools?pattern= keeps the tools a pattern matches (the console's preview); a bad pattern is 400", async () => {
    const addresses = async (email: string, pattern: string) => {
      const response = await worker.asUser(email, `/api/tools?limit=100&pattern=${encodeURIComponent(pattern)}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { address: string }[]; total: number };
      expect(page.total).toBe(page.items.length);
      return page.items.map((item) => item.address).sort();
    };
    expect(await addresses("admin@example.com", "executor.policies.*")).toEqual(["executor.policies.create", "executor.policies.delete", "executor.policies.list"]);
    expect(await addresses("admin@example.com", "executor.*.list")).toEqual(["executor.executions.list", "executor.integrations.list", "executor.policies.list", "executor.tools.list"]);
    expect(await addresses("admin@example.com", "executor")).toEqual([]);
    // Counted as the caller sees the catalog: a member does not see (or count) blocked tools.
    await create({ pattern: "executor.policies.delete", action: "block" });
    expect(await addresses("admin@example.com", "executor.policies.*")).toHaveLength(3);
    expect(await addresses("bob@example.com", "executor.policies.*")).toEqual(["executor.policies.create", "executor.policies.list"]);
    await expectError(await admin("/api/tools?pattern=executor..list"), 400, "invalid_request");
    await expectError(await admin("/api/tools?pattern="), 400, "invalid_request");
  });

  it("GET /api/tools/:address describes one tool with its effective policy", async () => {
    const response = await admin("/api/tools/executor.policies.create");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ address: "executor.policies.create", defaultPolicy: "approve", policy: "approve", policyRule: null });
    await expectError(await admin("/api/tools/nope.nothing"), 404, "not_found");
    await expectError(await admin("/api/tools?limit=1000"), 400, "invalid_request");
  });
});
