/**
 * Query parameters checked against the route's declared schemas (worker/api/route-input.ts),
 * through the built Worker: paging stays as docs/api.md says (default 20, 1 to 100, a bad
 * value is 400 naming the field), enums and booleans are refused by name, and the details
 * have the same `{field, problem}` shape as a bad body's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

describe("query parameters", () => {
  let worker: TestWorker;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const page = async (path: string) => {
    const response = await admin(path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as { items: unknown[]; total: number; nextOffset: number | null };
  };

  beforeAll(async () => {
    worker = await startWorker();
    for (let i = 0; i < 21; i += 1) await execute(worker, `return ${i}`);
    // Finished runs are written after answering: wait until the history holds all 21.
    for (let tries = 0; (await page("/api/executions?limit=1")).total < 21; tries += 1) {
      if (tries > 100) throw new Error("the history never held 21 executions");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(() => worker.close());

  it.each([
    ["no limit", "/api/executions", 20, 20],
    ["an empty limit", "/api/executions?limit=", 20, 20],
    ["limit=100", "/api/executions?limit=100", 21, null],
    ["limit=1 (the least)", "/api/executions?limit=1", 1, 1],
    ["offset=20", "/api/executions?offset=20", 1, null],
    ["a repeated limit: the first counts", "/api/executions?limit=5&limit=500", 5, 5],
    ["an undeclared parameter is ignored", "/api/executions?limit=2&cache=123", 2, 2],
    ["status and identity filters", "/api/executions?status=completed&identity=user:admin@example.com&limit=3", 3, 3],
  ])("%s → %i items, nextOffset %s", async (_name, path, count, nextOffset) => {
    const answer = await page(path);
    expect(answer.items).toHaveLength(count);
    expect(answer.nextOffset).toBe(nextOffset);
  });

  it.each([
    ["/api/executions?limit=0", "GET", "limit"],
    ["/api/executions?limit=101", "GET", "limit"],
    ["/api/executions?limit=ten", "GET", "limit"],
    ["/api/executions?limit=1.5", "GET", "limit"],
    ["/api/executions?offset=-1", "GET", "offset"],
    ["/api/tools?limit=1000", "GET", "limit"],
    ["/api/tools?offset=x", "GET", "offset"],
    ["/api/executions?status=nope", "GET", "status"],
    ["/api/executions?status=", "GET", "status"],
    ["/api/integrations/executor/connections/x?shared=yes", "DELETE", "shared"],
    ["/api/integrations/executor/connections/x/authorize?shared=1", "POST", "shared"],
  ])("%s (%s) → 400 invalid_request naming %s", async (path, method, field) => {
    const body = await expectError(await admin(path, { method }), 400, "invalid_request");
    expect(body.error.details).toEqual([{ field, problem: expect.any(String) }]);
    expect(body.error.message).toMatch(new RegExp(`^${field}: `));
  });

  it("a bad query and a bad body answer in the same shape", async () => {
    const query = await expectError(await admin("/api/tools?limit=0"), 400, "invalid_request");
    const body = await expectError(await admin("/api/policies", { method: "POST", body: JSON.stringify({ pattern: "x.*", action: "allow", position: -1 }) }), 400, "invalid_request");
    expect(query.error.details).toEqual([{ field: "limit", problem: "0 is less than 1." }]);
    expect(body.error.details).toEqual([{ field: "position", problem: "-1 is less than 0." }]);
  });

  it("an empty boolean is its default: ?shared= means your personal connection", async () => {
    const body = await expectError(await admin("/api/integrations/executor/connections/x?shared=", { method: "DELETE" }), 404, "not_found");
    expect(body.error.message).toMatch(/personal|No connection/i);
  });
});
