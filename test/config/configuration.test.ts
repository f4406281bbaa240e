/** Missing configuration through the built Worker: 503 JSON, never open, never HTML. */
import { afterEach, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { startWorker, type TestWorker } from "../harness/worker";

describe("configuration at the edge", () => {
  let worker: TestWorker | undefined;
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  it("no EXECUTOR_SECRET_KEY → 503 JSON naming it on every route", async () => {
    worker = await startWorker({ bindings: { EXECUTOR_SECRET_KEY: undefined } });
    const token = await worker.issuer.user("admin@example.com");
    for (const path of ["/api/me", "/api/status", "/mcp", "/api/unknown"]) {
      const body = await expectError(await worker.fetch(path, { headers: { "cf-access-jwt-assertion": token } }), 503, "not_configured");
      expect(body.error.message).toContain("EXECUTOR_SECRET_KEY");
    }
    const console = await worker.fetch("/", { headers: { "cf-access-jwt-assertion": token } });
    expect(console.status).toBe(503);
  });

  it("no Access settings: a non-loopback host is refused (403 saying why), DEV_IDENTITY is ignored there", async () => {
    worker = await startWorker({
      bindings: { ACCESS_TEAM_DOMAIN: undefined, ACCESS_AUD: undefined, DEV_IDENTITY: "dev@example.com" },
    });
    const body = await expectError(await worker.fetch("https://executor.example.com/api/me"), 403, "forbidden");
    expect(body.error.message).toContain("ACCESS_TEAM_DOMAIN");
    expect(body.error.message).toContain("ACCESS_AUD");
    expect(body.error.message).toContain("executor.example.com");
    // A forged assertion changes nothing: without Access there is no way in but loopback.
    const forged = await worker.issuer.user("admin@example.com");
    await expectError(
      await worker.fetch("https://executor.example.com/api/me", { headers: { "cf-access-jwt-assertion": forged } }),
      403,
      "forbidden",
    );
    expect(worker.logs.join("\n")).toContain("DEV_IDENTITY is ignored");
  });

  it.each(["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"])(
    "no Access settings: DEV_IDENTITY is the caller on %s",
    async (origin) => {
      worker = await startWorker({
        bindings: { ACCESS_TEAM_DOMAIN: undefined, ACCESS_AUD: undefined, ADMIN_EMAILS: undefined, DEV_IDENTITY: "Dev@Example.com" },
      });
      const response = await worker.fetch(`${origin}/api/me`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: "user:dev@example.com", kind: "user", roles: ["admin", "approver"] });
      const status = (await (await worker.fetch(`${origin}/api/status`)).json()) as { config: { ok: boolean; missing: string[] } };
      expect(status.config).toMatchObject({ ok: false, missing: ["ACCESS_TEAM_DOMAIN", "ACCESS_AUD"] });
    },
  );

  it("with Access configured, DEV_IDENTITY is ignored even on localhost", async () => {
    worker = await startWorker({ bindings: { DEV_IDENTITY: "dev@example.com" } });
    const response = await worker.fetch("http://localhost:8787/api/me");
    expect(response.status).toBe(401);
  });

  it("without Access and without DEV_IDENTITY, loopback is closed too", async () => {
    worker = await startWorker({ bindings: { ACCESS_TEAM_DOMAIN: undefined, ACCESS_AUD: undefined } });
    await expectError(await worker.fetch("http://localhost:8787/api/me"), 503, "not_configured");
  });

  it("an Access certs outage is not cached: the next request retries", async () => {
    worker = await startWorker();
    worker.issuer.certsDown = true;
    await expectError(await worker.asUser("admin@example.com", "/api/me"), 502, "upstream_unreachable");
    worker.issuer.certsDown = false;
    expect((await worker.asUser("admin@example.com", "/api/me")).status).toBe(200);
  });
});
