/**
 * Issue 13, item 13: local development (no Access settings, DEV_IDENTITY set) serves only the
 * developer's own machine, and only the developer's own pages. A request for another host
 * (DNS rebinding points evil.example at 127.0.0.1) is refused with 403 saying why; a request on
 * loopback that carries a foreign Origin (a page on another site calling the local Worker) is
 * refused even for GET, since a read here returns everything the developer can see.
 *
 * Note: test/config/configuration.test.ts still expects 503 for a non-loopback host with
 * DEV_IDENTITY; that expectation conflicts with this item.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { startWorker, type TestWorker } from "../harness/worker";

const LOCAL = { ACCESS_TEAM_DOMAIN: undefined, ACCESS_AUD: undefined, ADMIN_EMAILS: undefined };

describe("item 13: local development with DEV_IDENTITY", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { ...LOCAL, DEV_IDENTITY: "dev@example.com" } });
  });
  afterAll(() => worker.close());

  it("item 13: a foreign host (http://evil.example:8787) → 403 forbidden saying why, not 503", async () => {
    const body = await expectError(await worker.fetch("http://evil.example:8787/api/me", { headers: { host: "evil.example:8787" } }), 403, "forbidden");
    expect(body.error.message).toMatch(/host|loopback|localhost/i);
  });

  it("item 13: a foreign host is refused on the console and /mcp too", async () => {
    const mcp = await worker.fetch("http://evil.example:8787/mcp", {
      method: "POST",
      headers: { host: "evil.example:8787", "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(mcp.status).toBe(403);
    expect((await worker.fetch("http://evil.example:8787/", { headers: { host: "evil.example:8787" } })).status).toBe(403);
  });

  it.each(["GET", "POST"])("item 13: on loopback, a foreign Origin (http://evil.example) → 403 for %s", async (method) => {
    const response = await worker.fetch("http://localhost:8787/api/me", {
      method,
      headers: { origin: "http://evil.example", ...(method === "POST" ? { "content-type": "application/json" } : {}) },
      ...(method === "POST" ? { body: "{}" } : {}),
    });
    // POST /api/me is a 405 once the request is let in; the refusal must come first.
    await expectError(response, 403, "forbidden");
  });

  it("item 13: on loopback, a foreign Origin cannot read the history either", async () => {
    await expectError(await worker.fetch("http://127.0.0.1:8787/api/executions", { headers: { origin: "http://evil.example" } }), 403, "forbidden");
  });

  it.each([
    ["no Origin", {}],
    ["its own Origin", { origin: "http://localhost:8787" }],
  ])("item 13: on loopback with %s → served", async (_name, headers) => {
    const response = await worker.fetch("http://localhost:8787/api/me", { headers });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ id: "user:dev@example.com" });
  });
});

describe("item 13: without Access and without DEV_IDENTITY", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: LOCAL });
  });
  afterAll(() => worker.close());

  it("item 13: a foreign host still gets 503 not_configured", async () => {
    await expectError(await worker.fetch("http://evil.example:8787/api/me", { headers: { host: "evil.example:8787" } }), 503, "not_configured");
  });
});
