/** Checks of the Access settings deploy:setup accepts: pure, so tables. */
import { describe, expect, it } from "vitest";
import { parseAudTags, parseTeamDomain } from "../../scripts/deploy-setup/access-settings";

const AUD = "3f9a".repeat(16);

describe("parseTeamDomain", () => {
  it.each([
    ["acme.cloudflareaccess.com", "acme.cloudflareaccess.com"],
    ["Acme-Corp.CloudflareAccess.com", "acme-corp.cloudflareaccess.com"],
    ["https://acme.cloudflareaccess.com/", "acme.cloudflareaccess.com"],
    [" acme.cloudflareaccess.com ", "acme.cloudflareaccess.com"],
  ])("accepts %j", (input, expected) => {
    expect(parseTeamDomain(input)).toEqual({ ok: true, value: expected });
  });

  it.each(["acme", "acme.example.com", "http://acme.cloudflareaccess.com", "-acme.cloudflareaccess.com", "a.b.cloudflareaccess.com", "acme.cloudflareaccess.com/path", ""])(
    "refuses %j",
    (input) => {
      const result = parseTeamDomain(input);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toContain("<team>.cloudflareaccess.com");
    },
  );
});

describe("parseAudTags", () => {
  it.each([
    [AUD, AUD],
    [`${AUD}, ${"0".repeat(64)} ,`, `${AUD},${"0".repeat(64)}`],
  ])("accepts %j", (input, expected) => {
    expect(parseAudTags(input)).toEqual({ ok: true, value: expected });
  });

  it.each(["", " , ", "abc", AUD.toUpperCase(), `${AUD}0`, `${AUD},nope`])("refuses %j", (input) => {
    expect(parseAudTags(input).ok).toBe(false);
  });
});
