/**
 * The signed MCP session id (mcp/session-id.ts): what it accepts and why it refuses. Pure
 * except for WebCrypto, so tables.
 */
import { describe, expect, it } from "vitest";
import { newSessionClaims, SESSION_TTL_SECONDS, signSessionId, verifySessionId } from "../../worker/mcp/session-id";

const KEY = "test-secret-key-0123456789abcdef-0123456789";
const OTHER_KEY = "another-secret-key-0123456789abcdef-01234";
const KEYS = { current: KEY, previous: null };
const NOW = Date.UTC(2026, 0, 1);
const ADA = "user:ada@example.com";

async function issued(overrides: Partial<ReturnType<typeof newSessionClaims>> = {}, key = KEY): Promise<string> {
  return signSessionId(key, { ...newSessionClaims(ADA, "", true, NOW), ...overrides });
}

function reencoded(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [prefix, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
  return `${prefix}.${Buffer.from(JSON.stringify(change(claims))).toString("base64url")}.${signature}`;
}

describe("verifySessionId", () => {
  it("accepts its own token for the same identity and endpoint, and gives back the claims", async () => {
    const check = await verifySessionId(KEYS, await issued(), { identityId: ADA, endpoint: "" }, NOW + 1000);
    expect(check).toEqual({ ok: true, claims: { sub: ADA, ep: "", url: true, iat: NOW / 1000, exp: NOW / 1000 + SESSION_TTL_SECONDS } });
  });

  it("accepts a token signed with the previous key while a rotation keeps it, and only then", async () => {
    const signedBefore = await issued({}, OTHER_KEY);
    const during = await verifySessionId({ current: KEY, previous: OTHER_KEY }, signedBefore, { identityId: ADA, endpoint: "" }, NOW + 1000);
    expect(during.ok).toBe(true);
    const after = await verifySessionId(KEYS, signedBefore, { identityId: ADA, endpoint: "" }, NOW + 1000);
    expect(after).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("is visible ASCII, as Mcp-Session-Id must be", async () => {
    expect(await issued()).toMatch(/^[\x21-\x7e]+$/);
  });

  it.each<[string, () => Promise<string>, { identityId?: string; endpoint?: string; now?: number }, string]>([
    ["another identity's", () => issued(), { identityId: "user:bob@example.com" }, "other_identity"],
    ["a service's, presented by a person", () => issued({ sub: "service:ci.access" }), {}, "other_identity"],
    ["another endpoint's (a toolkit's, at /mcp)", () => issued({ ep: "triage" }), {}, "other_endpoint"],
    ["expired", () => issued(), { now: NOW + SESSION_TTL_SECONDS * 1000 }, "expired"],
    ["signed with another key", () => issued({}, OTHER_KEY), {}, "bad_signature"],
    ["claims changed under the old signature", async () => reencoded(await issued(), (claims) => ({ ...claims, sub: "user:bob@example.com" })), { identityId: "user:bob@example.com" }, "bad_signature"],
    ["a signature cut short", async () => (await issued()).slice(0, -4), {}, "bad_signature"],
    ["another version prefix", async () => (await issued()).replace(/^mcp1\./, "mcp2."), {}, "malformed"],
    ["not three parts", async () => `${await issued()}.extra`, {}, "malformed"],
    ["not base64url", async () => "mcp1.!!!.???", {}, "malformed"],
    ["empty", async () => "", {}, "malformed"],
    ["absurdly long", async () => `mcp1.${"A".repeat(5000)}.AAAA`, {}, "malformed"],
  ])("refuses a token that is %s", async (_why, token, expected, reason) => {
    const check = await verifySessionId(KEYS, await token(), { identityId: expected.identityId ?? ADA, endpoint: expected.endpoint ?? "" }, expected.now ?? NOW);
    expect(check).toEqual({ ok: false, reason });
  });
});
