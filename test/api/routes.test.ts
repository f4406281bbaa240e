/** Routing rules that hold on every route: JSON only, 404/405, cross-site refusal, console. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { startWorker, type TestWorker } from "../harness/worker";

describe("routes", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("an unknown /api route → 404 JSON", async () => {
    await expectError(await worker.asUser("bob@example.com", "/api/does-not-exist"), 404, "not_found");
  });

  it("a known route with the wrong method → 405 JSON", async () => {
    await expectError(await worker.asUser("bob@example.com", "/api/me", { method: "DELETE" }), 405, "method_not_allowed");
  });

  it.each(["/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server", "/.well-known/oauth-protected-resource/mcp"])(
    "%s → 404 JSON pointing at Managed OAuth",
    async (path) => {
      const body = await expectError(await worker.fetch(path), 404, "not_found");
      expect(body.error.message).toContain("Managed OAuth");
    },
  );

  it("any other /.well-known path → 404 JSON", async () => {
    await expectError(await worker.fetch("/.well-known/whatever"), 404, "not_found");
  });

  it("/api/status reports version, migrations and config", async () => {
    const response = await worker.asUser("bob@example.com", "/api/status");
    expect(response.status).toBe(200);
    const status = (await response.json()) as { version: string; migrations: { applied: number; latest: number; pending: string[] }; config: unknown };
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.migrations.applied).toBe(status.migrations.latest);
    expect(status.migrations.latest).toBeGreaterThan(0);
    expect(status.migrations.pending).toEqual([]);
    expect(status.config).toEqual({ ok: true, missing: [], accessConfigured: true });
  });

  it("/api/openapi.json describes every route of this API", async () => {
    const response = await worker.asUser("bob@example.com", "/api/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/me", "/api/executions/{id}/approve", "/api/integrations/{slug}/connections/{name}/test"]));
    expect(Object.keys(document.paths["/api/policies/{id}"]!)).toEqual(["patch", "delete"]);
  });

  describe("cross-site refusal", () => {
    it.each([
      ["a foreign Origin", { origin: "https://evil.example" }],
      ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ])("a POST with %s → 403 before authentication", async (_name, headers) => {
      // No assertion at all: the refusal comes first, so it is 403, not 401.
      await expectError(await worker.fetch("/api/me", { method: "POST", headers }), 403, "forbidden");
      await expectError(await worker.fetch("/mcp", { method: "POST", headers, body: "{}" }), 403, "forbidden");
    });

    it("the Worker's own Origin and requests with no Origin pass the check", async () => {
      const sameOrigin = await worker.asUser("bob@example.com", "/api/me", { method: "POST", headers: { origin: "https://executor.test", "sec-fetch-site": "same-origin" } });
      expect(sameOrigin.status).toBe(405);
      const agent = await worker.asUser("bob@example.com", "/api/me", { method: "POST" });
      expect(agent.status).toBe(405);
    });

    it("a cross-site GET is not a state change and is not refused", async () => {
      const response = await worker.asUser("bob@example.com", "/api/me", { headers: { origin: "https://evil.example" } });
      expect(response.status).toBe(200);
    });
  });

  describe("console", () => {
    it("serves HTML behind the gate", async () => {
      const response = await worker.asUser("bob@example.com", "/");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toContain("bob@example.com");
    });

    it("refuses without an assertion, as an HTML page", async () => {
      const response = await worker.fetch("/");
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    });

    it("has its own 404 page", async () => {
      const response = await worker.asUser("bob@example.com", "/no/such/page");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    });
  });
});
