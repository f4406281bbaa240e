/**
 * Issue 13, item 8: what goes to a token endpoint stays with it. (a) A token endpoint that
 * answers 307 or 308 to another origin must not get the Worker to post the token request there
 * (the client secret, or the body: a grant, an authorization code with its PKCE verifier).
 * (b) OAuth endpoints named in a spec must be https, except loopback ones while
 * ALLOW_LOCAL_NETWORK=true: a plain-http authorization server would see the code, the client
 * secret and the tokens in the clear.
 *
 * Every server here is real and on 127.0.0.1; another port is another origin.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, attackSpec, startAttackApi, type AttackApi } from "../harness/attack-api";
import { execute } from "../harness/executions";
import { startOAuthServer, type OAuthServer } from "../harness/oauth-server";
import { startServer, type TestServer } from "../harness/recording-server";
import { startWorker, type TestWorker } from "../harness/worker";

const CLIENT_ID = "client-redirected";
const CLIENT_SECRET = "client-secret-must-stay-home-0123456789";

/** Everything a request carried, in one string to search. */
function everything(received: TestServer["received"]): string {
  return received.map((request) => `${request.method} ${request.url}\n${JSON.stringify(request.headers)}\n${request.body}`).join("\n\n");
}

describe("item 8a: a token endpoint redirecting to another origin", () => {
  let api: AttackApi;
  let oauth: OAuthServer;
  let worker: TestWorker;
  /** The other origin the token endpoint sends the Worker to. */
  let elsewhere: TestServer;
  /** The token endpoint named by the connection and the spec: it redirects every request. */
  let redirector: TestServer;
  let redirectStatus = 307;

  beforeAll(async () => {
    elsewhere = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ access_token: "token-from-elsewhere-0123", token_type: "bearer", expires_in: 3600 }));
    });
    redirector = await startServer((_request, response) => {
      response.writeHead(redirectStatus, { location: `${elsewhere.origin}/token` });
      response.end();
    });
    oauth = await startOAuthServer();
    api = await startAttackApi({ oauthCode: { authorizationUrl: `${oauth.origin}/authorize`, tokenUrl: `${redirector.origin}/token` } });
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await oauth.close();
    await redirector.close();
    await elsewhere.close();
  });

  it.each([307, 308])("item 8a: client_credentials, token endpoint answers %i cross-origin → the other origin gets neither the secret nor the body", async (status) => {
    redirectStatus = status;
    const name = `cc${status}`;
    await addAttackConnection(worker, name, { type: "oauth2", grant: "client_credentials", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${redirector.origin}/token` });
    const before = { redirector: redirector.received.length, elsewhere: elsewhere.received.length };
    const view = await execute(worker, `try { return await tools.attack_api.attack.ping({}, { connection: "${name}" }) } catch (e) { return e.code }`);
    expect(view.status).toBe("completed");
    // The attack is live: the Worker did ask the token endpoint.
    expect(redirector.received.length).toBeGreaterThan(before.redirector);
    const reached = elsewhere.received.slice(before.elsewhere);
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
    expect(everything(reached)).not.toContain(CLIENT_SECRET);
    expect(everything(reached)).not.toContain(basic);
    expect(
      reached.filter((request) => request.body !== "").map((request) => `${request.method} ${request.url}: ${request.body}`),
      "the token request's body must not be replayed to another origin",
    ).toEqual([]);
  });

  it("item 8a: authorization_code exchange, token endpoint answers 307 cross-origin → the code and verifier stay home", async () => {
    redirectStatus = 307;
    const created = await worker.asUser("admin@example.com", "/api/integrations/attack_api/connections", {
      method: "POST",
      body: JSON.stringify({ name: "code307", auth: { type: "oauth2", grant: "authorization_code", scopes: ["items:read"] } }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { authorizationUrl } = (await created.json()) as { authorizationUrl: string };
    const approved = await fetch(authorizationUrl, { redirect: "manual" });
    expect(approved.status).toBe(302);
    const callback = new URL(approved.headers.get("location")!);
    const code = callback.searchParams.get("code")!;
    expect(code).toBeTruthy();

    const before = elsewhere.received.length;
    await worker.asUser("admin@example.com", `/api/oauth/callback${callback.search}`, { redirect: "manual" });
    expect(redirector.received.some((request) => request.body.includes("grant_type=authorization_code")), "the exchange was attempted").toBe(true);
    const reached = elsewhere.received.slice(before);
    expect(everything(reached), "the authorization code must not reach another origin").not.toContain(code);
    expect(reached.filter((request) => request.body !== "").map((request) => request.body)).toEqual([]);
  });
});

describe("item 8b: OAuth endpoints must be https (loopback excepted with ALLOW_LOCAL_NETWORK)", () => {
  let api: AttackApi;
  let oauth: OAuthServer;
  let worker: TestWorker;
  const admin = (path: string, body: unknown) => worker.asUser("admin@example.com", path, { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    oauth = await startOAuthServer();
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    const plain = attackSpec({ ...api.settings, oauthCode: { authorizationUrl: "http://auth.example.com/authorize", tokenUrl: "http://auth.example.com/token" } });
    const local = attackSpec({ ...api.settings, oauthCode: { authorizationUrl: `${oauth.origin}/authorize`, tokenUrl: `${oauth.origin}/token` } });
    for (const [slug, spec] of [["plain_http", plain], ["local_http", local]] as const) {
      const response = await admin("/api/integrations", { kind: "openapi", slug, spec, baseUrl: `${api.origin}/v1` });
      expect(response.status, await response.clone().text()).toBe(201);
    }
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await oauth.close();
  });

  it("item 8b: a spec naming http://auth.example.com endpoints → creating an authorization_code connection is refused with 400", async () => {
    const response = await admin("/api/integrations/plain_http/connections", {
      name: "plain",
      auth: { type: "oauth2", grant: "authorization_code", clientId: "given-client-id", scopes: ["items:read"] },
    });
    const text = await response.text();
    expect(response.status, text).toBe(400);
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    expect(["invalid_request", "invalid_source"]).toContain(body.error.code);
    expect(body.error.message).toMatch(/https/i);
    const listed = (await (await worker.asUser("admin@example.com", "/api/integrations/plain_http/connections")).json()) as { items: unknown[] };
    expect(listed.items, "no connection is stored").toEqual([]);
  });

  it("item 8b: http://127.0.0.1 endpoints stay allowed while ALLOW_LOCAL_NETWORK=true", async () => {
    const response = await admin("/api/integrations/local_http/connections", { name: "local", auth: { type: "oauth2", grant: "authorization_code", scopes: ["items:read"] } });
    expect(response.status, await response.clone().text()).toBe(201);
    const { authorizationUrl } = (await response.json()) as { authorizationUrl: string };
    expect(new URL(authorizationUrl).origin).toBe(oauth.origin);
  });

  it("item 8b: the same spec without ALLOW_LOCAL_NETWORK refuses the local endpoints", async () => {
    // The existing guard: without the setting, loopback addresses are not called at all.
    const closed = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "false" } });
    try {
      const spec = attackSpec({ ...api.settings, oauthCode: { authorizationUrl: `${oauth.origin}/authorize`, tokenUrl: `${oauth.origin}/token` } });
      const added = await closed.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", slug: "local_http", spec, baseUrl: "https://api.example.com/v1" }) });
      expect(added.status, await added.clone().text()).toBe(201);
      const response = await closed.asUser("admin@example.com", "/api/integrations/local_http/connections", {
        method: "POST",
        body: JSON.stringify({ name: "local", auth: { type: "oauth2", grant: "authorization_code", clientId: "given-client-id", scopes: [] } }),
      });
      const text = await response.text();
      expect(response.status, text).toBe(400);
      expect(["invalid_request", "invalid_source"]).toContain((JSON.parse(text) as { error: { code: string } }).error.code);
    } finally {
      await closed.close();
    }
  });
});
