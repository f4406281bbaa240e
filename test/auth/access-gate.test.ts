/**
 * The Access gate, through the built Worker: tokens minted by a test Access team, verified
 * by the production code path (jose, the key store, identity rules).
 */
import { SignJWT, base64url } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUD, AccessIssuer, ISSUER } from "../harness/access-issuer";
import { expectUnauthorized } from "../harness/assertions";
import { startWorker, type TestWorker } from "../harness/worker";

function withAssertion(token: string): { headers: Record<string, string> } {
  return { headers: { "cf-access-jwt-assertion": token } };
}

describe("valid assertions", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { ACCESS_AUD: `other-app, ${AUD}` } });
  });
  afterAll(() => worker.close());

  it("a human named in ADMIN_EMAILS is an admin and an approver", async () => {
    const token = await worker.issuer.user("Admin@Example.com", { name: "Ada Admin", groups: ["eng", "ops"] });
    const response = await worker.fetch("/api/me", withAssertion(token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "user:admin@example.com",
      kind: "user",
      email: "admin@example.com",
      name: "Ada Admin",
      groups: ["eng", "ops"],
      roles: ["admin", "approver"],
      org: { name: "Acme Corp", slug: "acme-corp" },
    });
  });

  it("any other human is an approver only", async () => {
    const response = await worker.asUser("bob@example.com", "/api/me");
    expect(response.status).toBe(200);
    const me = (await response.json()) as { kind: string; roles: string[] };
    expect(me.kind).toBe("user");
    expect(me.roles).toEqual(["approver"]);
  });

  it("a service token is a service identity with no roles", async () => {
    const token = await worker.issuer.service("ci-bot.access");
    const response = await worker.fetch("/api/me", withAssertion(token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "service:ci-bot.access",
      kind: "service",
      roles: [],
      org: { name: "Acme Corp", slug: "acme-corp" },
    });
  });

  it("a token for any one of several configured AUD tags is accepted", async () => {
    const token = await worker.issuer.user("carol@example.com", {}, { audience: "other-app" });
    expect((await worker.fetch("/api/me", withAssertion(token))).status).toBe(200);
  });

  it("tolerates a little clock skew but not more", async () => {
    const justExpired = await worker.issuer.user("dave@example.com", {}, { expiresIn: -10 });
    expect((await worker.fetch("/api/me", withAssertion(justExpired))).status).toBe(200);
    const longExpired = await worker.issuer.user("dave@example.com", {}, { expiresIn: -120 });
    await expectUnauthorized(await worker.fetch("/api/me", withAssertion(longExpired)));
  });

  it("records the identity, first and last seen", async () => {
    await worker.asUser("erin@example.com", "/api/me");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await worker.asUser("erin@example.com", "/api/me");
    const row = await worker.db
      .prepare("SELECT kind, email, first_seen_at, last_seen_at FROM identities WHERE id = ?")
      .bind("user:erin@example.com")
      .first<{ kind: string; email: string; first_seen_at: number; last_seen_at: number }>();
    expect(row).toMatchObject({ kind: "user", email: "erin@example.com" });
    expect(row!.last_seen_at).toBeGreaterThan(row!.first_seen_at);
  });

  it("honours the org selector header only for this organization", async () => {
    const token = await worker.issuer.user("bob@example.com");
    const ok = await worker.fetch("/api/me", { headers: { "cf-access-jwt-assertion": token, "x-executor-organization": "acme-corp" } });
    expect(ok.status).toBe(200);
    const other = await worker.fetch("/api/me", { headers: { "cf-access-jwt-assertion": token, "x-executor-organization": "globex" } });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("refused assertions", () => {
  let worker: TestWorker;
  let valid: string;
  beforeAll(async () => {
    worker = await startWorker();
    valid = await worker.issuer.user("bob@example.com");
  });
  afterAll(() => worker.close());

  const forged: [string, (issuer: AccessIssuer, valid: string) => Promise<string | null>][] = [
    ["no header", async () => null],
    ["garbage", async () => "not-a-jwt"],
    [
      "alg none",
      async () => {
        const header = base64url.encode(JSON.stringify({ alg: "none", kid: "key-1", typ: "JWT" }));
        const now = Math.floor(Date.now() / 1000);
        const payload = base64url.encode(JSON.stringify({ email: "mallory@example.com", iss: ISSUER, aud: [AUD], exp: now + 600 }));
        return `${header}.${payload}.`;
      },
    ],
    [
      "HS256 signed with the public key",
      async (issuer) => {
        const publicJwk = JSON.stringify(issuer.keys.get("key-1")!.publicJwk);
        return new SignJWT({ email: "mallory@example.com" })
          .setProtectedHeader({ alg: "HS256", kid: "key-1" })
          .setIssuer(ISSUER)
          .setAudience(AUD)
          .setExpirationTime("10m")
          .sign(new TextEncoder().encode(publicJwk));
      },
    ],
    ["wrong issuer", (issuer) => issuer.user("bob@example.com", {}, { issuer: "https://evil.cloudflareaccess.com" })],
    ["wrong audience", (issuer) => issuer.user("bob@example.com", {}, { audience: "someone-elses-app" })],
    ["expired", (issuer) => issuer.user("bob@example.com", {}, { expiresIn: -3600 })],
    ["nbf in the future", (issuer) => issuer.user("bob@example.com", {}, { notBefore: 600 })],
    [
      "tampered payload",
      async (_issuer, token) => {
        const [header, payload, signature] = token.split(".");
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
        claims.email = "admin@example.com";
        return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
      },
    ],
    [
      "a signature by another key with the same kid",
      async () => {
        const impostor = new AccessIssuer();
        await impostor.addKey("key-1");
        return impostor.user("admin@example.com");
      },
    ],
    ["neither email nor common_name", (issuer) => issuer.mint({ sub: "someone" })],
  ];

  it.each(forged)("%s → 401", async (_name, make) => {
    const token = await make(worker.issuer, valid);
    const response = await worker.fetch("/api/me", token === null ? {} : withAssertion(token));
    await expectUnauthorized(response);
  });

  it("a token only in the CF_Authorization cookie → 401", async () => {
    await expectUnauthorized(await worker.fetch("/api/me", { headers: { cookie: `CF_Authorization=${valid}` } }));
  });

  it("the valid token itself is accepted (the table above is not vacuous)", async () => {
    expect((await worker.fetch("/api/me", withAssertion(valid))).status).toBe(200);
  });

  it("/mcp without an assertion → 401 JSON", async () => {
    await expectUnauthorized(await worker.fetch("/mcp", { method: "POST", body: "{}" }));
  });

  it("an unknown /api route without an assertion → 401, not 404", async () => {
    await expectUnauthorized(await worker.fetch("/api/nope"));
  });
});

describe("key rotation and the refetch cooldown", () => {
  let worker: TestWorker;
  const pastCooldown = () => new Promise((resolve) => setTimeout(resolve, 5_200));
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("runs in order: warm, unknown kid, burst, rotation", async () => {
    const issuer = worker.issuer;
    expect((await worker.asUser("bob@example.com", "/api/me")).status).toBe(200);
    expect(issuer.certsFetches).toBe(1);

    // An unknown kid is refused after exactly one refetch.
    await pastCooldown();
    const ghost = await issuer.user("bob@example.com", {}, { kid: "ghost", signWith: "key-1" });
    await expectUnauthorized(await worker.fetch("/api/me", withAssertion(ghost)));
    expect(issuer.certsFetches).toBe(2);

    // 50 invented kids at once: the cooldown holds, the certs endpoint is not flooded.
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        issuer.user("bob@example.com", {}, { kid: `random-${i}-${Math.random().toString(36).slice(2)}`, signWith: "key-1" }),
      ),
    );
    const responses = await Promise.all(burst.map((token) => worker.fetch("/api/me", withAssertion(token))));
    for (const response of responses) await expectUnauthorized(response);
    expect(issuer.certsFetches).toBeLessThanOrEqual(3);

    // Access rotates: a token signed by the newly published key is accepted.
    await issuer.addKey("key-2");
    await pastCooldown();
    const rotated = await issuer.user("bob@example.com", {}, { kid: "key-2" });
    expect((await worker.fetch("/api/me", withAssertion(rotated))).status).toBe(200);
    // The old key keeps working during the overlap.
    expect((await worker.asUser("bob@example.com", "/api/me")).status).toBe(200);
    expect(worker.unexpectedOutbound).toEqual([]);
  }, 30_000);
});
