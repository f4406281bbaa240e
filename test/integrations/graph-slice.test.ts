/**
 * Microsoft Graph by workload (issue 16 §4): Microsoft's own mail slice of Graph v1.0
 * (test/fixtures/msgraph/Mail.yml), served at its real URL by the test, added as the
 * `outlook_mail` preset and as an OpenAPI integration with include / exclude globs (applied
 * before conversion, kept for refreshes). A Microsoft OAuth app with a tenant gives the
 * scopes (with offline_access) and the endpoints; a person consents on a Microsoft-like
 * server on 127.0.0.1, and the call reaches graph.microsoft.com as the test answers it.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetById } from "../../worker/presets";
import { importOpenApi, parseSpecText } from "../../worker/sources/openapi";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { consentAs, startProviderOAuthServer, type ProviderOAuthServer } from "../harness/provider-oauth-server";
import { startWorker, type TestWorker } from "../harness/worker";

const MAIL_YML = readFileSync(resolve(import.meta.dirname, "../fixtures/msgraph/Mail.yml"), "utf8");
const MAIL_URL = presetById("outlook_mail")!.url;
const PERSON = "ada@example.com";

describe("Microsoft Graph, one workload at a time", () => {
  let microsoft: ProviderOAuthServer;
  let worker: TestWorker;
  const graph: { url: string; user: string | null }[] = [];
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const person = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser(PERSON, path, init);
  const add = (body: unknown) => admin("/api/integrations", { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    microsoft = await startProviderOAuthServer("microsoft");
    worker = await startWorker({
      bindings: { ALLOW_LOCAL_NETWORK: "true" },
      upstreams: {
        [MAIL_URL]: () => new Response(MAIL_YML, { headers: { "content-type": "text/plain" } }),
        "https://graph.microsoft.com/": (request) => {
          const info = microsoft.tokenInfo((request.headers.get("authorization") ?? "").replace(/^Bearer /, ""));
          graph.push({ url: request.url, user: info?.user ?? null });
          if (!info) return Response.json({ error: { code: "InvalidAuthenticationToken" } }, { status: 401 });
          return Response.json({ value: [{ id: "AAMk1", subject: `Hello ${info.user}` }] });
        },
      },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await microsoft?.close();
  });

  it("include / exclude keep a slice before conversion; the slice is kept for refreshes", async () => {
    const filter = { include: ["/users/{id}/messages/**"], exclude: ["/users/{id}/messages/{id}/attachments/**"] };
    const expected = importOpenApi(parseSpecText(MAIL_YML), filter).tools;
    const response = await add({ kind: "openapi", url: MAIL_URL, slug: "messages_only", ...filter });
    const added = (await response.json()) as { toolCount: number };
    expect(response.status, JSON.stringify(added)).toBe(201);
    expect(added.toolCount).toBe(expected.length);
    expect(added.toolCount).toBeLessThan(importOpenApi(parseSpecText(MAIL_YML)).tools.length);
    const tools = (await (await admin("/api/tools?integration=messages_only&limit=100")).json()) as { items: { address: string }[]; total: number };
    expect(tools.total).toBe(expected.length);
    expect(tools.items.map((tool) => tool.address)).not.toContain("messages_only.usersMessage.userMessageListAttachment");
    expect(tools.items.map((tool) => tool.address)).toContain("messages_only.usersMessage.userListMessage");
    expect(await (await admin("/api/integrations/messages_only/refresh", { method: "POST" })).json()).toEqual({ added: [], removed: [], changed: [] });
  });

  it.each([
    ["a glob that is not a path", { kind: "openapi", url: MAIL_URL, slug: "bad", include: ["users/**"] }, "include"],
    ["** inside a segment", { kind: "openapi", url: MAIL_URL, slug: "bad", exclude: ["/users/a**"] }, "exclude"],
    ["globs on a GraphQL source", { kind: "graphql", url: "https://api.example.com/graphql", slug: "bad", include: ["/x"] }, "kind"],
  ])("refuses %s (400)", async (_what, body, mentioned) => {
    const refused = await expectError(await add(body), 400, "invalid_request");
    expect(JSON.stringify(refused.error)).toContain(mentioned);
  });

  it("a slice that keeps nothing says so", async () => {
    const refused = await expectError(await add({ kind: "openapi", url: MAIL_URL, slug: "nothing", include: ["/groups/**"] }), 400, "invalid_source");
    expect(refused.error.message).toContain("include / exclude");
  });

  it("the outlook_mail preset, a Microsoft app with a tenant, a person's consent, a call to Graph", async () => {
    const added = await add({ preset: "outlook_mail" });
    expect(added.status, await added.clone().text()).toBe(201);
    const integration = (await (await person("/api/integrations/outlook_mail")).json()) as { baseUrl: string; oauth: { provider: string; defaultScopes: string[] } };
    expect(integration).toMatchObject({ baseUrl: "https://graph.microsoft.com/v1.0", oauth: { provider: "microsoft", defaultScopes: ["User.Read", "Mail.ReadWrite", "Mail.Send"] } });

    // Registered once: the tenant goes into the endpoints (here the local server's, as Entra's would).
    const app = await admin("/api/oauth-apps", {
      method: "POST",
      body: JSON.stringify({
        name: "Contoso Entra",
        provider: "microsoft",
        tenant: "contoso.onmicrosoft.com",
        clientId: microsoft.clientId,
        clientSecret: microsoft.clientSecret,
        authorizationUrl: `${microsoft.origin}/{tenant}/oauth2/v2.0/authorize`,
        tokenUrl: `${microsoft.origin}/{tenant}/oauth2/v2.0/token`,
        scopes: ["openid"],
      }),
    });
    const appView = (await app.json()) as { id: string; authorizationUrl: string };
    expect(app.status).toBe(201);
    expect(appView.authorizationUrl).toBe(`${microsoft.origin}/contoso.onmicrosoft.com/oauth2/v2.0/authorize`);

    microsoft.accessTokenSeconds = 1;
    const created = (await (await person("/api/integrations/outlook_mail/connections", { method: "POST", body: JSON.stringify({ name: "work", auth: { type: "oauth2", grant: "authorization_code", app: appView.id } }) })).json()) as { authorizationUrl: string };
    const url = new URL(created.authorizationUrl);
    // offline_access (the provider's), the app's scopes, then the integration's defaults.
    expect(url.searchParams.get("scope")).toBe("offline_access openid User.Read Mail.ReadWrite Mail.Send");
    const callback = await consentAs("ada@contoso.test", created.authorizationUrl);
    expect(microsoft.authorizationPaths.at(-1)).toBe("/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    expect((await person(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
    expect(microsoft.tokenRequests.at(-1)?.clientAuth).toBe("body");

    // The token is short-lived: each call refreshes, and Microsoft rotates the refresh token.
    for (let i = 1; i <= 2; i++) {
      const result = await execute(worker, `return (await tools.outlook_mail.usersMessage.userListMessage({ "user-id": "me", "$top": 2 })).value[0].subject`, PERSON);
      expect(result).toMatchObject({ status: "completed", result: "Hello ada@contoso.test" });
      expect(microsoft.refreshCount).toBe(i);
    }
    const call = new URL(graph.at(-1)!.url);
    expect(call.origin + call.pathname).toBe("https://graph.microsoft.com/v1.0/users/me/messages");
    expect(call.searchParams.get("$top")).toBe("2");
  });
});
