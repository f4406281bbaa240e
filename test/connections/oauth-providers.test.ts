/**
 * The provider table (worker/connections/oauth-providers.ts): endpoints with the tenant filled
 * in, the authorization URL's scope parameters per provider, and telling a provider from a
 * spec's declared authorization endpoint. Pure.
 */
import { describe, expect, it } from "vitest";
import { OAUTH_PROVIDERS, providerEndpoint, providerOfEndpoint, scopeParameters } from "../../worker/connections/oauth-providers";

describe("oauth providers", () => {
  it.each([
    ["microsoft", "authorizationUrl", null, null, "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"],
    ["microsoft", "tokenUrl", null, "contoso.onmicrosoft.com", "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"],
    ["microsoft", "tokenUrl", "https://login.partner.microsoftonline.cn/{tenant}/oauth2/v2.0/token", "organizations", "https://login.partner.microsoftonline.cn/organizations/oauth2/v2.0/token"],
    ["google", "authorizationUrl", null, null, "https://accounts.google.com/o/oauth2/v2/auth"],
    ["github", "tokenUrl", null, null, "https://github.com/login/oauth/access_token"],
    ["generic", "tokenUrl", null, null, null],
    ["generic", "tokenUrl", "https://auth.example.com/token", null, "https://auth.example.com/token"],
  ] as const)("%s %s (override %s, tenant %s) → %s", (provider, which, override, tenant, expected) => {
    expect(providerEndpoint(OAUTH_PROVIDERS[provider], which, override, tenant)).toBe(expected);
  });

  it.each([
    ["google", ["a", "b"], [], { scope: "a b" }],
    ["google", [], [], {}],
    ["microsoft", ["Mail.Read"], [], { scope: "offline_access Mail.Read" }],
    ["microsoft", ["offline_access", "Mail.Read"], [], { scope: "offline_access Mail.Read" }],
    ["atlassian", ["read:jira-work"], [], { scope: "offline_access read:jira-work" }],
    ["slack", ["channels:history", "search:read"], ["chat:write"], { user_scope: "channels:history,search:read", scope: "chat:write" }],
    ["slack", [], ["chat:write", "channels:read"], { scope: "chat:write,channels:read" }],
    ["github", ["repo", "repo"], ["ignored"], { scope: "repo" }],
  ] as const)("%s: scopes %j, bot scopes %j → %j", (provider, scopes, botScopes, expected) => {
    expect(scopeParameters(OAUTH_PROVIDERS[provider], scopes, botScopes)).toEqual(expected);
  });

  it.each([
    ["https://accounts.google.com/o/oauth2/auth", "google"],
    ["https://login.microsoftonline.com/common/oauth2/v2.0/authorize", "microsoft"],
    ["https://slack.com/oauth/authorize", "slack"],
    ["https://github.com/login/oauth/authorize", "github"],
    ["https://auth.atlassian.com/authorize", "atlassian"],
    ["https://auth.example.com/authorize", null],
    ["not a url", null],
  ] as const)("%s is %s's", (url, provider) => {
    expect(providerOfEndpoint(url)).toBe(provider);
  });

  it("every named provider has https endpoints; only generic leaves them to the app", () => {
    for (const provider of Object.values(OAUTH_PROVIDERS)) {
      if (provider.id === "generic") {
        expect([provider.authorizationUrl, provider.tokenUrl]).toEqual([null, null]);
        continue;
      }
      for (const url of [provider.authorizationUrl, provider.tokenUrl, provider.registerAt]) expect(url).toMatch(/^https:\/\//);
      expect(provider.tenant === null || new RegExp(provider.tenant.pattern).test(provider.tenant.default)).toBe(true);
    }
  });
});
