/** Config parsing: pure, so a table of env → outcome. */
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig, slugify } from "../../worker/config";
import type { Env } from "../../worker/env";

const KEY = "k".repeat(32);
const base = { DB: {} as Env["DB"], ASSETS: {} as Env["ASSETS"], EXECUTOR_SECRET_KEY: KEY, ACCESS_TEAM_DOMAIN: "team.cloudflareaccess.com", ACCESS_AUD: "aud1" };

describe("parseConfig", () => {
  it("derives issuer and certs URL from a bare team domain", () => {
    const result = parseConfig(base);
    expect(result.ok && result.config.access).toEqual({
      issuer: "https://team.cloudflareaccess.com",
      certsUrl: "https://team.cloudflareaccess.com/cdn-cgi/access/certs",
      audiences: ["aud1"],
    });
  });

  it.each([
    ["https://team.cloudflareaccess.com", "https://team.cloudflareaccess.com"],
    ["https://team.cloudflareaccess.com/", "https://team.cloudflareaccess.com"],
    ["http://127.0.0.1:9999", "http://127.0.0.1:9999"],
    ["http://localhost:9999", "http://localhost:9999"],
  ])("accepts the origin %s", (domain, issuer) => {
    const result = parseConfig({ ...base, ACCESS_TEAM_DOMAIN: domain });
    expect(result.ok && result.config.access?.issuer).toBe(issuer);
  });

  it.each(["http://team.cloudflareaccess.com", "https://team.cloudflareaccess.com/path", "ftp://team", "https://user:pw@team.com"])(
    "refuses the team domain %s (fail closed)",
    (domain) => {
      const result = parseConfig({ ...base, ACCESS_TEAM_DOMAIN: domain });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.missing.join()).toContain("ACCESS_TEAM_DOMAIN");
    },
  );

  it.each([
    [{ EXECUTOR_SECRET_KEY: undefined }, "EXECUTOR_SECRET_KEY"],
    [{ EXECUTOR_SECRET_KEY: "short" }, "EXECUTOR_SECRET_KEY"],
  ])("a missing or weak secret key is fatal: %o", (override, name) => {
    const result = parseConfig({ ...base, ...override });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.missing.join()).toContain(name);
  });

  it.each([
    [{ ACCESS_AUD: "" }, ["ACCESS_AUD"]],
    [{ ACCESS_AUD: " , " }, ["ACCESS_AUD"]],
    [{ ACCESS_TEAM_DOMAIN: "" }, ["ACCESS_TEAM_DOMAIN"]],
    [{ ACCESS_TEAM_DOMAIN: undefined, ACCESS_AUD: undefined }, ["ACCESS_TEAM_DOMAIN", "ACCESS_AUD"]],
  ])("without full Access settings, Access is off and the gap is named: %o", (override, missing) => {
    const result = parseConfig({ ...base, ...override });
    expect(result.ok && result.config.access).toBeNull();
    expect(result.ok && result.config.missing).toEqual(missing);
  });

  it("splits several AUD tags and admin emails, case-insensitively", () => {
    const result = parseConfig({ ...base, ACCESS_AUD: "a, b ,c", ADMIN_EMAILS: "Ann@X.com, bob@x.com" });
    expect(result.ok && result.config.access?.audiences).toEqual(["a", "b", "c"]);
    expect(result.ok && [...result.config.adminEmails]).toEqual(["ann@x.com", "bob@x.com"]);
  });

  it("reads flags and defaults", () => {
    const result = parseConfig({ ...base, ALLOW_LOCAL_NETWORK: "TRUE", DEV_IDENTITY: " Me@Example.com " });
    expect(result.ok && result.config.allowLocalNetwork).toBe(true);
    expect(result.ok && result.config.devIdentity).toBe("me@example.com");
    expect(result.ok && result.config.org).toEqual({ name: "Default", slug: "default" });
  });
});

describe("loadConfig", () => {
  it("caches a good config per env, but never a failure", () => {
    const env: Env = { ...base, EXECUTOR_SECRET_KEY: "short" };
    expect(loadConfig(env).ok).toBe(false);
    env.EXECUTOR_SECRET_KEY = KEY;
    const first = loadConfig(env);
    expect(first.ok).toBe(true);
    env.EXECUTOR_SECRET_KEY = "changed-but-cached";
    expect(loadConfig(env)).toEqual(first);
  });
});

describe("slugify", () => {
  it.each([
    ["Default", "default"],
    ["Acme Corp", "acme-corp"],
    ["  ÜBER  GmbH!! ", "ber-gmbh"],
    ["!!!", "default"],
  ])("%s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
