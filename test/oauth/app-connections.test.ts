/**
 * OAuth apps end to end (issue 16 §1): an admin registers a provider's client once, and each
 * person only consents. Real authorization servers on 127.0.0.1 behave like Google, Slack and
 * GitHub where those differ from the RFC (test/harness/provider-oauth-server.ts); the Gmail
 * integration is added from the real Discovery document, answered at Google's URL, and its
 * calls reach gmail.googleapis.com as answered by the test, which checks the tokens.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { consentAs, startProviderOAuthServer, type ProviderOAuthServer } from "../harness/provider-oauth-server";
import { startWorker, type TestWorker } from "../harness/worker";

const FIXTURES = resolve(import.meta.dirname, "../fixtures");
const GMAIL_DISCOVERY = "https://www.googleapis.com/discovery/v1/apis/gmail/v1/rest";
const GOOGLE = "https://www.googleapis.com/auth";
const ADMIN = "admin@example.com";
const ALICE = "alice@example.com";
const BOB = "bob@example.com";

type Fetcher = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => Promise<Response>;

/** A JSON body of a 2xx answer, or the test fails with the answer's text. */
async function ok<T>(response: Promise<Response>, status = 200): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  expect(answer.status, text).toBe(status);
  return JSON.parse(text) as T;
}

describe("an OAuth app registered once: Google, two people, personal connections", () => {
  let google: ProviderOAuthServer;
  let worker: TestWorker;
  let appId: string;
  /** Gmail as the test answers it: each person's mailbox, by the Google account the token is for. */
  const mailboxes: Record<string, { id: string; threadId: string }[]> = {
    "alice@gmail.test": [{ id: "a1", threadId: "t1" }],
    "bob@gmail.test": [{ id: "b1", threadId: "t2" }, { id: "b2", threadId: "t3" }],
  };
  const gmailRequests: { url: string; user: string | null }[] = [];
  const as = (email: string): Fetcher => (path, init) => worker.asUser(email, path, init);

  async function connect(email: string, googleAccount: string, name = "mine"): Promise<{ authorizationUrl: string }> {
    const created = await ok<{ authorizationUrl: string; status: string }>(
      as(email)("/api/integrations/gmail/connections", { method: "POST", body: JSON.stringify({ name, auth: { type: "oauth2", grant: "authorization_code", app: appId } }) }),
      201,
    );
    expect(created.status).toBe("needs_reauth");
    const callback = await consentAs(googleAccount, created.authorizationUrl);
    const done = await as(email)(`/api/oauth/callback${callback.search}`, { redirect: "manual" });
    expect(done.status, await done.clone().text()).toBe(302);
    return created;
  }

  beforeAll(async () => {
    google = await startProviderOAuthServer("google");
    worker = await startWorker({
      bindings: { ALLOW_LOCAL_NETWORK: "true" },
      upstreams: {
        [GMAIL_DISCOVERY]: () => new Response(readFileSync(resolve(FIXTURES, "google-discovery/gmail.v1.json")), { headers: { "content-type": "application/json" } }),
        "https://gmail.googleapis.com/": (request) => {
          const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
          const info = google.tokenInfo(token);
          gmailRequests.push({ url: request.url, user: info?.user ?? null });
          if (!info) return Response.json({ error: { code: 401, message: "Invalid Credentials" } }, { status: 401 });
          return Response.json({ messages: mailboxes[info.user] ?? [], resultSizeEstimate: (mailboxes[info.user] ?? []).length });
        },
      },
    });
    const app = await ok<{ id: string; maskedHint: string; redirectUri: string }>(
      as(ADMIN)("/api/oauth-apps", {
        method: "POST",
        body: JSON.stringify({
          name: "Google Workspace",
          provider: "google",
          clientId: google.clientId,
          clientSecret: google.clientSecret,
          // Google's endpoints, stood in for by the local server.
          authorizationUrl: google.authorizationUrl,
          tokenUrl: google.tokenUrl,
        }),
      }),
      201,
    );
    appId = app.id;
    expect(app.redirectUri).toBe("https://executor.test/api/oauth/callback");
    await ok(as(ADMIN)("/api/integrations", { method: "POST", body: JSON.stringify({ preset: "gmail" }) }), 201);
  });
  afterAll(async () => {
    await worker?.close();
    await google?.close();
  });

  it("the integration offers Google apps and the preset's scopes", async () => {
    const integration = await ok<{ kind: string; oauth: { provider: string; scopes: string[]; defaultScopes: string[] } }>(as(ALICE)("/api/integrations/gmail"));
    expect(integration.kind).toBe("google");
    expect(integration.oauth.provider).toBe("google");
    expect(integration.oauth.defaultScopes).toEqual([`${GOOGLE}/gmail.readonly`, `${GOOGLE}/gmail.compose`]);
    // Every scope the Discovery document declares is offered, the defaults first.
    expect(integration.oauth.scopes.slice(0, 2)).toEqual(integration.oauth.defaultScopes);
    expect(integration.oauth.scopes).toContain(`${GOOGLE}/gmail.send`);
    // People see the app (to choose it), never its secret.
    const apps = await (await as(ALICE)("/api/oauth-apps")).text();
    expect(apps).toContain(appId);
    expect(apps).not.toContain(google.clientSecret);
  });

  it("two people consent once each; each call uses that person's own token", async () => {
    google.accessTokenSeconds = 3600;
    const alice = await connect(ALICE, "alice@gmail.test");
    const url = new URL(alice.authorizationUrl);
    expect(url.origin + url.pathname).toBe(google.authorizationUrl);
    // Google's quirks, from the provider table: a refresh token is asked for and re-issued.
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("client_id")).toBe(google.clientId);
    expect(url.searchParams.get("scope")).toBe(`${GOOGLE}/gmail.readonly ${GOOGLE}/gmail.compose`);
    expect(url.searchParams.get("redirect_uri")).toBe("https://executor.test/api/oauth/callback");
    await connect(BOB, "bob@gmail.test");

    const aliceSees = await execute(worker, `return (await tools.gmail.users.messages.list({ userId: "me" })).messages.map((m) => m.id)`, ALICE);
    expect(aliceSees).toMatchObject({ status: "completed", result: ["a1"] });
    const bobSees = await execute(worker, `return (await tools.gmail.users.messages.list({ userId: "me", maxResults: 5 })).messages.map((m) => m.id)`, BOB);
    expect(bobSees).toMatchObject({ status: "completed", result: ["b1", "b2"] });
    expect(gmailRequests.at(-1)).toEqual({ url: "https://gmail.googleapis.com/gmail/v1/users/me/messages?maxResults=5", user: "bob@gmail.test" });

    // Personal: each sees only their own connection; the app's client authenticated with Basic.
    const aliceList = await ok<{ items: { name: string; shared: boolean; status: string; settings: Record<string, unknown> }[] }>(as(ALICE)("/api/integrations/gmail/connections"));
    expect(aliceList.items).toMatchObject([{ name: "mine", shared: false, status: "ok", settings: { appId, renewable: true } }]);
    expect(google.tokenRequests.at(-1)?.clientAuth).toBe("basic");
    const app = await ok<{ connectionCount: number }>(as(ADMIN)(`/api/oauth-apps/${appId}`));
    expect(app.connectionCount).toBe(2);
  });

  it("refreshes with the app's client, and picks up a secret the admin rotated", async () => {
    google.accessTokenSeconds = 1;
    await connect(ALICE, "alice@gmail.test", "short");
    const before = google.refreshCount;
    // Within the refresh margin at once: the call refreshes first.
    const first = await execute(worker, `return (await tools.gmail.users.messages.list({ userId: "me" }, { connection: "short" })).messages.length`, ALICE);
    expect(first).toMatchObject({ status: "completed", result: 1 });
    expect(google.refreshCount).toBe(before + 1);

    // The admin rotates the secret at Google and in the app: no connection is touched.
    const rotated = google.rotateSecret();
    const changed = await ok<{ maskedHint: string }>(as(ADMIN)(`/api/oauth-apps/${appId}`, { method: "PATCH", body: JSON.stringify({ clientSecret: rotated }) }));
    expect(changed.maskedHint).toBe(`${rotated.slice(0, 4)}…${rotated.slice(-3)}`);
    const second = await execute(worker, `return (await tools.gmail.users.messages.list({ userId: "me" }, { connection: "short" })).messages.length`, ALICE);
    expect(second).toMatchObject({ status: "completed", result: 1 });
    expect(google.refreshCount).toBe(before + 2);
    const refresh = google.tokenRequests.at(-1)!;
    expect(refresh.form.get("grant_type")).toBe("refresh_token");

    // A revoked refresh token: needs_reauth, as for any connection; consenting again fixes it.
    google.revokeRefreshTokens();
    const failed = await execute(worker, `try { await tools.gmail.users.messages.list({ userId: "me" }, { connection: "short" }) } catch (e) { return e.code }`, ALICE);
    expect(failed.result).toBe("oauth_reauth_required");
    const list = await ok<{ items: { name: string; status: string }[] }>(as(ALICE)("/api/integrations/gmail/connections"));
    expect(list.items.find((item) => item.name === "short")?.status).toBe("needs_reauth");
    google.accessTokenSeconds = 3600;
    const again = await ok<{ authorizationUrl: string }>(as(ALICE)("/api/integrations/gmail/connections/short/authorize", { method: "POST" }));
    const callback = await consentAs("alice@gmail.test", again.authorizationUrl);
    expect((await as(ALICE)(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
    expect(await execute(worker, `return (await tools.gmail.users.messages.list({ userId: "me" }, { connection: "short" })).messages.length`, ALICE)).toMatchObject({ result: 1 });
  });

  it("without Google's quirks (a generic app on the same server) no refresh token comes: the connection shows expiring", async () => {
    const generic = await ok<{ id: string }>(
      as(ADMIN)("/api/oauth-apps", {
        method: "POST",
        body: JSON.stringify({ name: "Plain", provider: "generic", clientId: google.clientId, clientSecret: google.clientSecret, authorizationUrl: google.authorizationUrl, tokenUrl: google.tokenUrl }),
      }),
      201,
    );
    const created = await ok<{ authorizationUrl: string }>(
      as(BOB)("/api/integrations/gmail/connections", { method: "POST", body: JSON.stringify({ name: "plain", auth: { type: "oauth2", grant: "authorization_code", app: generic.id } }) }),
      201,
    );
    expect(new URL(created.authorizationUrl).searchParams.get("access_type")).toBeNull();
    const callback = await consentAs("bob@gmail.test", created.authorizationUrl);
    expect((await as(BOB)(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
    const list = await ok<{ items: { name: string; status: string }[] }>(as(BOB)("/api/integrations/gmail/connections"));
    expect(list.items.find((item) => item.name === "plain")?.status).toBe("expiring");
    expect(list.items.find((item) => item.name === "mine")?.status).toBe("ok");
  });

  it("no token, refresh token or client secret is in an answer or in D1 in the clear", async () => {
    const answers = [
      await (await as(ADMIN)("/api/oauth-apps")).text(),
      await (await as(ALICE)("/api/integrations/gmail/connections")).text(),
      await (await as(ALICE)("/api/integrations/gmail")).text(),
    ].join("\n");
    expect(answers).not.toContain(google.clientSecret);
    expect(answers).not.toMatch(/google-at-|google-rt-|accessToken|refreshToken|clientSecret/);
    const rows = await worker.db.prepare("SELECT * FROM oauth_apps UNION ALL SELECT id, ciphertext, '', '', '', '', '', '', '', '', '', '', created_at, updated_at FROM secrets").all();
    const dump = JSON.stringify(rows.results);
    expect(dump).not.toContain(google.clientSecret);
    expect(dump).not.toMatch(/google-at-|google-rt-/);
  });

  it("removing an app that connections use is refused with how many; with cascade they go too", async () => {
    const refused = await expectError(await as(ADMIN)(`/api/oauth-apps/${appId}`, { method: "DELETE" }), 409, "conflict");
    expect(refused.error.message).toMatch(/^3 connections \(in 1 integration\) use this app/);
    await expectError(await as(ALICE)(`/api/oauth-apps/${appId}?cascade=true`, { method: "DELETE" }), 403, "forbidden");
    const removed = await as(ADMIN)(`/api/oauth-apps/${appId}?cascade=true`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    const list = await ok<{ items: { name: string }[] }>(as(ALICE)("/api/integrations/gmail/connections"));
    expect(list.items).toEqual([]);
    const orphans = await worker.db.prepare("SELECT count(*) AS n FROM secrets WHERE id LIKE 'oauth-app:%'").first<{ n: number }>();
    expect(orphans?.n).toBe(1); // the generic app's, still in use by Bob
  });
});

describe("provider quirks in the token exchange: Slack and GitHub", () => {
  let slack: ProviderOAuthServer;
  let github: ProviderOAuthServer;
  let worker: TestWorker;
  const seen: { host: string; token: string }[] = [];
  const admin: Fetcher = (path, init) => worker.asUser(ADMIN, path, init);

  /** A small OpenAPI spec at a public URL, one GET tool, calling `origin`. */
  const spec = (origin: string, path: string) =>
    JSON.stringify({ openapi: "3.0.3", info: { title: "T", version: "1" }, servers: [{ url: origin }], paths: { [path]: { get: { operationId: "whoami", responses: { 200: { description: "ok" } } } } } });

  async function appFor(server: ProviderOAuthServer, provider: string, extra: Record<string, unknown> = {}): Promise<string> {
    const body = { name: provider, provider, clientId: server.clientId, clientSecret: server.clientSecret, authorizationUrl: server.authorizationUrl, tokenUrl: server.tokenUrl, ...extra };
    return (await ok<{ id: string }>(admin("/api/oauth-apps", { method: "POST", body: JSON.stringify(body) }), 201)).id;
  }

  async function connect(slug: string, app: string, name: string, scopes?: string[]): Promise<URL> {
    const created = await ok<{ authorizationUrl: string }>(
      admin(`/api/integrations/${slug}/connections`, { method: "POST", body: JSON.stringify({ name, auth: { type: "oauth2", grant: "authorization_code", app, ...(scopes ? { scopes } : {}) } }) }),
      201,
    );
    const url = new URL(created.authorizationUrl);
    const callback = await consentAs("person", created.authorizationUrl);
    const done = await admin(`/api/oauth/callback${callback.search}`, { redirect: "manual" });
    expect(done.status, await done.clone().text()).toBe(302);
    return url;
  }

  beforeAll(async () => {
    slack = await startProviderOAuthServer("slack");
    github = await startProviderOAuthServer("github");
    const answer = (request: Request) => {
      seen.push({ host: new URL(request.url).host, token: request.headers.get("authorization") ?? "" });
      return Response.json({ ok: true });
    };
    worker = await startWorker({
      bindings: { ALLOW_LOCAL_NETWORK: "true" },
      upstreams: {
        "https://specs.example.com/slack.json": () => new Response(spec("https://slack.com/api", "/auth.test")),
        "https://specs.example.com/github.json": () => new Response(spec("https://api.github.com", "/user")),
        "https://slack.com/": answer,
        "https://api.github.com/": answer,
      },
    });
    for (const [slug, url] of [["slack_t", "https://specs.example.com/slack.json"], ["github_t", "https://specs.example.com/github.json"]]) {
      await ok(admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url, slug }) }), 201);
    }
  });
  afterAll(async () => {
    await worker?.close();
    await slack?.close();
    await github?.close();
  });

  it("Slack: the person's scopes go in user_scope (comma-separated), the bot's in scope; the user token comes from authed_user", async () => {
    const app = await appFor(slack, "slack", { botScopes: ["chat:write"] });
    const url = await connect("slack_t", app, "me", ["channels:history", "search:read"]);
    expect(url.searchParams.get("user_scope")).toBe("channels:history,search:read");
    expect(url.searchParams.get("scope")).toBe("chat:write");
    expect(slack.tokenRequests.at(-1)?.clientAuth).toBe("body");
    expect(await execute(worker, `return (await tools.slack_t.whoami({}, { connection: "me" })).ok`)).toMatchObject({ status: "completed", result: true });
    const token = seen.at(-1)!.token.replace(/^Bearer /, "");
    expect(slack.tokenInfo(token)).toEqual({ user: "person", scopes: ["channels:history", "search:read"], kind: "user" });
    // Slack tokens without rotation do not expire: the connection is ok, not expiring.
    const list = await ok<{ items: { name: string; status: string }[] }>(admin("/api/integrations/slack_t/connections"));
    expect(list.items.find((item) => item.name === "me")?.status).toBe("ok");
  });

  it("Slack: with bot scopes only, the connection holds the bot token", async () => {
    const app = await appFor(slack, "slack", { botScopes: ["chat:write", "channels:read"] });
    // The app's scopes are empty and the integration declares none: nothing in user_scope.
    const url = await connect("slack_t", app, "bot");
    expect(url.searchParams.get("user_scope")).toBeNull();
    await execute(worker, `return (await tools.slack_t.whoami({}, { connection: "bot" })).ok`);
    expect(slack.tokenInfo(seen.at(-1)!.token.replace(/^Bearer /, ""))?.kind).toBe("bot");
  });

  it("Slack: a refusal in an HTTP 200 answer ({ok:false}) is a refusal", async () => {
    const app = await appFor(slack, "slack", { botScopes: ["chat:write"] });
    const created = await ok<{ authorizationUrl: string }>(
      admin("/api/integrations/slack_t/connections", { method: "POST", body: JSON.stringify({ name: "refused", auth: { type: "oauth2", grant: "authorization_code", app } }) }),
      201,
    );
    const callback = await consentAs("person", created.authorizationUrl);
    callback.searchParams.set("code", "code-made-up");
    const failed = await expectError(await admin(`/api/oauth/callback${callback.search}`), 400, "invalid_request");
    expect(failed.error.message).toContain("invalid_grant");
  });

  it("GitHub: the client goes in the body, JSON is asked for, and a token without expires_in is kept (never refreshed)", async () => {
    const app = await appFor(github, "github", { scopes: ["repo", "read:org"] });
    const url = await connect("github_t", app, "me");
    expect(url.searchParams.get("scope")).toBe("repo read:org");
    const exchange = github.tokenRequests.at(-1)!;
    expect(exchange.clientAuth).toBe("body");
    expect(exchange.accept).toContain("application/json");
    for (let i = 0; i < 2; i++) expect(await execute(worker, `return (await tools.github_t.whoami({}, { connection: "me" })).ok`)).toMatchObject({ result: true });
    expect(github.tokenInfo(seen.at(-1)!.token.replace(/^Bearer /, ""))?.scopes).toEqual(["repo", "read:org"]);
    expect(github.tokenRequests.filter((request) => request.form.get("grant_type") === "refresh_token")).toEqual([]);
    const list = await ok<{ items: { name: string; status: string; settings: { tokenExpiresAt?: unknown } }[] }>(admin("/api/integrations/github_t/connections"));
    expect(list.items.find((item) => item.name === "me")).toMatchObject({ status: "ok", settings: { tokenExpiresAt: null } });
  });
});
