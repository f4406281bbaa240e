/**
 * /api/oauth-apps through the built Worker: who may write, what an app's view shows (never
 * its secret), the endpoints it fills in per provider, and the input it refuses. The flows
 * that use apps are test/oauth/app-connections.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { startWorker, type TestWorker } from "../harness/worker";

const SECRET = "gcp-client-secret-0123456789-abcdef";

describe("/api/oauth-apps", () => {
  let worker: TestWorker;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const person = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("ada@example.com", path, init);
  const post = (body: unknown) => admin("/api/oauth-apps", { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker?.close();
  });

  it("an admin registers a Google app: the provider's endpoints are filled in, the secret is masked and sealed", async () => {
    const response = await post({ name: "Google Workspace", provider: "google", clientId: "123.apps.googleusercontent.com", clientSecret: SECRET, scopes: ["openid"] });
    const text = await response.text();
    expect(response.status, text).toBe(201);
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toMatchObject({
      provider: "google",
      authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
      tokenUrl: "https://oauth2.googleapis.com/token",
      clientId: "123.apps.googleusercontent.com",
      maskedHint: "gcp-…def",
      scopes: ["openid"],
      tenant: null,
      connectionCount: 0,
      redirectUri: "https://executor.test/api/oauth/callback",
    });
    const sealed = await worker.db.prepare("SELECT ciphertext FROM secrets WHERE id LIKE 'oauth-app:%'").all<{ ciphertext: string }>();
    expect(sealed.results).toHaveLength(1);
    expect(sealed.results[0]!.ciphertext).toMatch(/^v\d+\./);
    expect(JSON.stringify(sealed.results)).not.toContain(SECRET);
  });

  it("Microsoft: the tenant goes into the endpoints (default common); changing it moves them", async () => {
    const created = (await (await post({ name: "Entra", provider: "microsoft", clientId: "0000-1111", clientSecret: SECRET })).json()) as { id: string; authorizationUrl: string; tenant: string };
    expect(created).toMatchObject({ tenant: "common", authorizationUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize" });
    const changed = await admin(`/api/oauth-apps/${created.id}`, { method: "PATCH", body: JSON.stringify({ tenant: "contoso.onmicrosoft.com" }) });
    expect(await changed.json()).toMatchObject({ tenant: "contoso.onmicrosoft.com", tokenUrl: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token" });
  });

  it("everyone reads; only admins write", async () => {
    const list = (await (await person("/api/oauth-apps")).json()) as { items: { name: string }[]; total: number };
    expect(list.items.map((app) => app.name)).toEqual(["Entra", "Google Workspace"]);
    await expectError(await person("/api/oauth-apps", { method: "POST", body: JSON.stringify({ name: "x", provider: "github", clientId: "x" }) }), 403, "forbidden");
    const id = ((await (await person("/api/oauth-apps")).json()) as { items: { id: string }[] }).items[0]!.id;
    await expectError(await person(`/api/oauth-apps/${id}`, { method: "PATCH", body: JSON.stringify({ name: "y" }) }), 403, "forbidden");
    await expectError(await person(`/api/oauth-apps/${id}`, { method: "DELETE" }), 403, "forbidden");
    await expectError(await person("/api/oauth-apps/app_doesnotexist"), 404, "not_found");
  });

  it.each([
    ["a generic app without endpoints", { name: "g", provider: "generic", clientId: "x" }, "authorizationUrl"],
    ["a generic app with an http endpoint", { name: "g", provider: "generic", clientId: "x", authorizationUrl: "http://auth.example.com/a", tokenUrl: "https://auth.example.com/t" }, "must be https"],
    ["a tenant on a Google app", { name: "g", provider: "google", clientId: "x", tenant: "contoso" }, "tenant"],
    ["bot scopes on a GitHub app", { name: "g", provider: "github", clientId: "x", botScopes: ["chat:write"] }, "botScopes"],
    ["an extra parameter the flow sets itself", { name: "g", provider: "google", clientId: "x", extraParams: { redirect_uri: "https://evil.example" } }, "extraParams"],
    ["an unknown provider", { name: "g", provider: "facebook", clientId: "x" }, "provider"],
    ["a tenant that is not a name", { name: "g", provider: "microsoft", clientId: "x", tenant: "../evil" }, "tenant"],
  ])("refuses %s (400)", async (_what, body, mentioned) => {
    const refused = await expectError(await post(body), 400, "invalid_request");
    expect(JSON.stringify(refused.error)).toContain(mentioned);
  });

  it("a secret can be removed (a public client) and the hint goes with it; provider cannot change", async () => {
    const created = (await (await post({ name: "GitHub", provider: "github", clientId: "Iv1.abc", clientSecret: SECRET })).json()) as { id: string };
    const cleared = await admin(`/api/oauth-apps/${created.id}`, { method: "PATCH", body: JSON.stringify({ clientSecret: null, extraParams: { allow_signup: "false" } }) });
    expect(await cleared.json()).toMatchObject({ maskedHint: null, extraParams: { allow_signup: "false" } });
    const sealed = await worker.db.prepare("SELECT id FROM secrets WHERE id = ?").bind(`oauth-app:${created.id}`).first();
    expect(sealed).toBeNull();
    await expectError(await admin(`/api/oauth-apps/${created.id}`, { method: "PATCH", body: JSON.stringify({ provider: "google" }) }), 400, "invalid_request");
    expect((await admin(`/api/oauth-apps/${created.id}`, { method: "DELETE" })).status).toBe(204);
    await expectError(await admin(`/api/oauth-apps/${created.id}`), 404, "not_found");
  });

  it("a connection naming an app that does not exist is refused", async () => {
    // The callback path exists even without integrations; connections need one, and an app.
    await expectError(
      await admin("/api/integrations/none/connections", { method: "POST", body: JSON.stringify({ name: "x", auth: { type: "oauth2", grant: "authorization_code", app: "app_missing" } }) }),
      404,
      "not_found",
    );
    await expectError(
      await admin("/api/integrations/none/connections", { method: "POST", body: JSON.stringify({ name: "x", auth: { type: "oauth2", grant: "authorization_code", app: "app_x", clientId: "y" } }) }),
      400,
      "invalid_request",
    );
  });

  it("lists the providers with the redirect URI to register", async () => {
    const providers = (await (await person("/api/oauth-providers")).json()) as { items: { id: string; redirectUri: string; tenant: unknown }[] };
    expect(providers.items.map((provider) => provider.id)).toEqual(["google", "microsoft", "github", "slack", "atlassian", "generic"]);
    for (const provider of providers.items) expect(provider.redirectUri).toBe("https://executor.test/api/oauth/callback");
    expect(providers.items.find((provider) => provider.id === "microsoft")?.tenant).toMatchObject({ default: "common" });
  });
});
