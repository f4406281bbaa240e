/**
 * OAuth authorization-code connections end to end: a real authorization server (the MCP
 * SDK's auth router), a real API accepting its tokens, the Worker registering itself,
 * PKCE, the callback, refresh with rotation, and refresh failure → needs_reauth.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startItemsApi, type ItemsApi } from "../harness/items-api";
import { startOAuthServer, type OAuthServer } from "../harness/oauth-server";
import { startWorker, type TestWorker } from "../harness/worker";

describe("OAuth authorization code", () => {
  let oauth: OAuthServer;
  let api: ItemsApi;
  let worker: TestWorker;
  const as = (email: string) => (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser(email, path, init);
  const admin = as("admin@example.com");

  /** What a browser does with the authorization URL: the server approves and redirects back. */
  async function authorize(authorizationUrl: string): Promise<URL> {
    const response = await fetch(authorizationUrl, { redirect: "manual" });
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location")!);
  }

  async function connect(name: string): Promise<{ authorizationUrl: string }> {
    const response = await admin("/api/integrations/items_api/connections", {
      method: "POST",
      body: JSON.stringify({ name, auth: { type: "oauth2", grant: "authorization_code", scopes: ["items:read"] } }),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json() as Promise<{ authorizationUrl: string }>;
  }

  beforeAll(async () => {
    oauth = await startOAuthServer();
    api = await startItemsApi({ oauth: { origin: oauth.origin, isValid: (token) => oauth.provider.isValid(token) } });
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    const added = await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) });
    expect(added.status).toBe(201);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await oauth.close();
  });

  it("the full code flow with PKCE: registration, authorize, callback, a call with the token", async () => {
    const { authorizationUrl } = await connect("mine");
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(oauth.origin);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("https://executor.test/api/oauth/callback");
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const before = (await (await admin("/api/integrations/items_api/connections")).json()) as { items: { name: string; status: string }[] };
    expect(before.items.find((c) => c.name === "mine")?.status).toBe("needs_reauth");
    const notYet = await execute(worker, `try { await tools.items_api.items.listItems({}, { connection: "mine" }) } catch (e) { return e.code }`);
    expect(notYet.result).toBe("oauth_reauth_required");

    const callback = await authorize(authorizationUrl);
    const done = await admin(`/api/oauth/callback${callback.search}`, { redirect: "manual" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("https://executor.test/integrations/items_api?connected=mine");

    const result = await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "mine" })).length`);
    expect(result).toMatchObject({ status: "completed", result: 1 });
    expect(api.requests.at(-1)?.auth).toBe("oauth-code");
    const after = (await (await admin("/api/integrations/items_api/connections")).json()) as { items: { name: string; status: string }[] };
    expect(after.items.find((c) => c.name === "mine")?.status).toBe("ok");

    // The state was single-use: replaying the callback is refused.
    await expectError(await admin(`/api/oauth/callback${callback.search}`), 400, "invalid_request");
  });

  it("an unknown state is refused; a callback by another identity is 403", async () => {
    await expectError(await admin("/api/oauth/callback?state=made-up&code=x"), 400, "invalid_request");
    const { authorizationUrl } = await connect("stolen");
    const callback = await authorize(authorizationUrl);
    await expectError(await as("mallory@example.com")(`/api/oauth/callback${callback.search}`), 403, "forbidden");
    // The rightful user can still finish it.
    expect((await admin(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
  });

  it("refreshes an expiring token (rotating refresh tokens), then needs_reauth when refresh fails", async () => {
    oauth.provider.accessTokenSeconds = 1;
    const { authorizationUrl } = await connect("short");
    const callback = await authorize(authorizationUrl);
    expect((await admin(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);

    // The token is within the refresh margin at once: the call refreshes it first.
    const refreshes = oauth.provider.refreshCount;
    const first = await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "short" })).length`);
    expect(first).toMatchObject({ status: "completed", result: 1 });
    expect(oauth.provider.refreshCount).toBe(refreshes + 1);
    const second = await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "short" })).length`);
    expect(second).toMatchObject({ status: "completed", result: 1 });
    expect(oauth.provider.refreshCount).toBe(refreshes + 2);

    oauth.provider.revokeRefreshTokens();
    const failed = await execute(worker, `try { await tools.items_api.items.listItems({}, { connection: "short" }) } catch (e) { return [e.code, e.message] }`);
    expect((failed.result as string[])[0]).toBe("oauth_reauth_required");
    const list = (await (await admin("/api/integrations/items_api/connections")).json()) as { items: { name: string; status: string }[] };
    expect(list.items.find((c) => c.name === "short")?.status).toBe("needs_reauth");

    // A human authorises again; calls work again.
    oauth.provider.accessTokenSeconds = 3600;
    const again = (await (await admin("/api/integrations/items_api/connections/short/authorize", { method: "POST" })).json()) as { authorizationUrl: string };
    const callbackAgain = await authorize(again.authorizationUrl);
    expect((await admin(`/api/oauth/callback${callbackAgain.search}`, { redirect: "manual" })).status).toBe(302);
    expect(await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "short" })).length`)).toMatchObject({ result: 1 });
  });

  it("a token that will expire soon and cannot be refreshed shows as expiring", async () => {
    oauth.provider.issueRefreshTokens = false;
    try {
      const { authorizationUrl } = await connect("temporary");
      const callback = await authorize(authorizationUrl);
      expect((await admin(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
      const list = (await (await admin("/api/integrations/items_api/connections")).json()) as { items: { name: string; status: string }[] };
      expect(list.items.find((c) => c.name === "temporary")?.status).toBe("expiring");
      expect(list.items.find((c) => c.name === "mine")?.status).toBe("ok");
    } finally {
      oauth.provider.issueRefreshTokens = true;
    }
  });

  it("no token or client secret appears in the connection list", async () => {
    const text = await (await admin("/api/integrations/items_api/connections")).text();
    for (const token of oauth.provider.refreshTokens.keys()) expect(text).not.toContain(token);
    expect(text).not.toMatch(/accessToken|refreshToken|clientSecret/);
  });
});
