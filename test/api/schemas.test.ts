/**
 * The answer schemas (worker/api/schemas.ts) against real answers: a representative call of
 * every route in /api/openapi.json, through the built Worker with real upstreams (the items
 * API, an OAuth authorization server), each answer checked against the schema the document
 * publishes for it with the Worker's own JSON Schema checker. This is what keeps the schemas
 * honest: a view that gains, loses or changes a field fails here until its schema follows.
 * A route added to the table fails the last test until it gets a call here (or a reason).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetById } from "../../worker/presets";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startOAuthServer, type OAuthServer } from "../harness/oauth-server";
import { expectDocumented, fetchApiDocument, operations, type ApiDocument } from "../harness/openapi";
import { startWebhookReceiver, type WebhookReceiver } from "../harness/webhook-receiver";
import { startWorker, WORKER_ORIGIN, type TestWorker } from "../harness/worker";

/** Routes not called here, each with the reason (none today). */
const NOT_CALLED_HERE: Record<string, string> = {};

/** The headers of a decision made in the console (a same-origin browser request). */
const CONSOLE = { "sec-fetch-site": "same-origin", origin: WORKER_ORIGIN };

describe("every answer matches its published schema", () => {
  let oauth: OAuthServer;
  let api: ItemsApi;
  let worker: TestWorker;
  let receiver: WebhookReceiver;
  let document: ApiDocument;
  const called = new Set<string>();

  /**
   * Calls `METHOD path` (the document's templated path) at `url` and checks the answer against
   * the document; returns the body.
   */
  async function call(method: string, path: string, url: string, options: { body?: unknown; headers?: Record<string, string>; email?: string } = {}): Promise<any> {
    const init = {
      method,
      headers: options.headers ?? {},
      redirect: "manual" as const,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    };
    const response = await worker.asUser(options.email ?? "admin@example.com", url, init);
    called.add(`${method} ${path}`);
    return expectDocumented(document, method, path, response);
  }

  /** What a browser does with an authorization URL: the server approves and sends it back. */
  async function authorize(authorizationUrl: string): Promise<string> {
    const response = await fetch(authorizationUrl, { redirect: "manual" });
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location")!).search;
  }

  beforeAll(async () => {
    oauth = await startOAuthServer();
    receiver = await startWebhookReceiver("a-webhook-secret");
    api = await startItemsApi({ oauth: { origin: oauth.origin, isValid: (token) => oauth.provider.isValid(token) } });
    worker = await startWorker({
      bindings: { ALLOW_LOCAL_NETWORK: "true" },
      upstreams: { [presetById("slack")!.url]: () => new Response(readFileSync(resolve(import.meta.dirname, "../fixtures/slack/slack_web_openapi_v2.slice.json"))) },
    });
    document = await fetchApiDocument(worker);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await oauth?.close();
    await receiver?.close();
  });

  it("the reference, the caller, the deployment", async () => {
    await call("GET", "/api/openapi.json", "/api/openapi.json");
    expect(await call("GET", "/api/docs", "/api/docs")).toContain("swagger-ui");
    expect(await call("GET", "/api/me", "/api/me", { email: "ada@example.com" })).toMatchObject({ kind: "user", email: "ada@example.com", roles: ["approver"] });
    expect(await call("GET", "/api/me", "/api/me")).toMatchObject({ roles: ["admin", "approver"] });
    const service = await worker.fetch("/api/me", { headers: { "cf-access-jwt-assertion": await worker.issuer.service("ci.access") } });
    expect(await expectDocumented(document, "GET", "/api/me", service)).toMatchObject({ kind: "service" });
    expect(await call("GET", "/api/status", "/api/status")).toMatchObject({ config: { ok: true } });
  });

  it("integrations: detect, add, list, read, change, refresh", async () => {
    const url = `${api.origin}/openapi.json`;
    expect(await call("POST", "/api/integrations/detect", "/api/integrations/detect", { body: { url } })).toMatchObject({ kind: "openapi", name: "Items API" });
    expect(await call("POST", "/api/integrations", "/api/integrations", { body: { kind: "openapi", url } })).toMatchObject({ slug: "items_api" });
    const list = await call("GET", "/api/integrations", "/api/integrations");
    expect(list.items.map((item: { slug: string }) => item.slug)).toEqual(["executor", "items_api"]);
    await call("GET", "/api/integrations/{slug}", "/api/integrations/items_api");
    expect(await call("PATCH", "/api/integrations/{slug}", "/api/integrations/items_api", { body: { description: "Described" } })).toMatchObject({ description: "Described" });
    expect(await call("POST", "/api/integrations/{slug}/refresh", "/api/integrations/items_api/refresh")).toEqual({ added: [], removed: [], changed: [] });
  });

  it("connections: add, list, read with them, test, the OAuth flow, remove", async () => {
    const base = "/api/integrations/items_api/connections";
    const bearer = await call("POST", "/api/integrations/{slug}/connections", base, { body: { name: "work", shared: true, auth: { type: "bearer", token: CREDENTIALS.bearer } } });
    expect(bearer).toMatchObject({ shared: true, authType: "bearer", status: "ok" });
    expect(await call("POST", "/api/integrations/{slug}/connections/{name}/test", `${base}/work/test`)).toMatchObject({ ok: true });

    const oauthConnection = await call("POST", "/api/integrations/{slug}/connections", base, { body: { name: "mine", auth: { type: "oauth2", grant: "authorization_code", scopes: ["items:read"] } } });
    expect(oauthConnection).toMatchObject({ authType: "oauth2", status: "needs_reauth", authorizationUrl: expect.stringContaining(oauth.origin) });
    await call("GET", "/api/oauth/callback", `/api/oauth/callback${await authorize(oauthConnection.authorizationUrl)}`);
    const again = await call("POST", "/api/integrations/{slug}/connections/{name}/authorize", `${base}/mine/authorize`);
    await call("GET", "/api/oauth/callback", `/api/oauth/callback${await authorize(again.authorizationUrl)}`);

    const connections = await call("GET", "/api/integrations/{slug}/connections", base);
    expect(connections.items.map((item: { name: string; status: string }) => [item.name, item.status])).toEqual([
      ["mine", "ok"],
      ["work", "ok"],
    ]);
    expect((await call("GET", "/api/integrations/{slug}", "/api/integrations/items_api")).connections).toHaveLength(2);
    await call("DELETE", "/api/integrations/{slug}/connections/{name}", `${base}/mine`);
  });

  it("tools: search, filter by pattern, describe", async () => {
    const page = await call("GET", "/api/tools", "/api/tools?limit=3");
    expect(page.items).toHaveLength(3);
    expect(page.nextOffset).toBe(3);
    const matched = await call("GET", "/api/tools", "/api/tools?pattern=items_api.items.*&limit=100");
    expect(matched.nextOffset).toBeNull();
    expect(await call("GET", "/api/tools/{address}", "/api/tools/items_api.items.getItem")).toMatchObject({ output: { $ref: "#/$defs/Item" } });
    expect(await call("GET", "/api/tools/{address}", "/api/tools/executor.policies.create")).toMatchObject({ defaultPolicy: "approve" });
  });

  it("policies: add, list, change, delete", async () => {
    const rule = await call("POST", "/api/policies", "/api/policies", { body: { pattern: "items_api.debug.*", action: "block" } });
    expect((await call("GET", "/api/policies", "/api/policies")).items).toHaveLength(1);
    expect(await call("PATCH", "/api/policies/{id}", `/api/policies/${rule.id}`, { body: { action: "approve" } })).toMatchObject({ action: "approve" });
    expect((await call("GET", "/api/tools/{address}", "/api/tools/items_api.debug.echoAuth")).policyRule).toBe(rule.id);
    await call("DELETE", "/api/policies/{id}", `/api/policies/${rule.id}`);
  });

  it("executions: completed, failed, paused; approve, decline, cancel, resume; history", async () => {
    const run = (code: string) => call("POST", "/api/executions", "/api/executions", { body: { code } });
    const completed = await run(`console.log("hello"); return (await tools.items_api.items.listItems({})).length`);
    expect(completed).toMatchObject({ status: "completed", result: 1, logs: ["hello"] });
    expect(await run(`throw new Error("no")`)).toMatchObject({ status: "failed", error: { code: expect.any(String) } });

    const create = `return (await tools.items_api.items.createItem({ body: { name: "n" } })).name`;
    const approved = await run(create);
    expect(approved).toMatchObject({ status: "paused", approval: { tool: "items_api.items.createItem" } });
    await call("GET", "/api/executions/{id}", `/api/executions/${approved.executionId}`);
    const decision = { body: { callId: approved.approval.callId }, headers: CONSOLE };
    expect(await call("POST", "/api/executions/{id}/approve", `/api/executions/${approved.executionId}/approve`, decision)).toMatchObject({ decision: "approved" });
    expect(await call("POST", "/api/executions/{id}/resume", `/api/executions/${approved.executionId}/resume`, { body: { waitSeconds: 0 } })).toMatchObject({ status: "completed", result: "n" });
    const record = await call("GET", "/api/executions/{id}", `/api/executions/${approved.executionId}`);
    expect(record.calls).toEqual([expect.objectContaining({ decision: "approved", status: "ok", policy: "approve" })]);

    const declined = await run(create);
    await call("POST", "/api/executions/{id}/decline", `/api/executions/${declined.executionId}/decline`, { body: { callId: declined.approval.callId }, headers: CONSOLE });
    await call("POST", "/api/executions/{id}/resume", `/api/executions/${declined.executionId}/resume`);
    expect((await call("GET", "/api/executions/{id}", `/api/executions/${declined.executionId}`)).calls[0]).toMatchObject({ decision: "declined" });

    const cancelled = await run(create);
    expect(await call("POST", "/api/executions/{id}/cancel", `/api/executions/${cancelled.executionId}/cancel`)).toEqual({ executionId: cancelled.executionId, status: "cancelled" });
    await call("GET", "/api/executions/{id}", `/api/executions/${cancelled.executionId}`);

    // Finished runs are written after answering (waitUntil): wait for the history to hold them all.
    await expect.poll(async () => (await (await worker.asUser("admin@example.com", "/api/executions?limit=1")).json()).total).toBe(5);
    const history = await call("GET", "/api/executions", "/api/executions?limit=100");
    expect(history.items.map((item: { status: string }) => item.status).sort()).toEqual(["cancelled", "completed", "completed", "failed", "failed"]);
    expect((await call("GET", "/api/executions", "/api/executions?status=failed&limit=1")).items).toHaveLength(1);
  });

  it("OAuth apps and presets: providers, register, read, change, connect with one, remove; the catalogue, add one", async () => {
    const providers = await call("GET", "/api/oauth-providers", "/api/oauth-providers");
    expect(providers.items.map((provider: { id: string }) => provider.id)).toContain("microsoft");
    const app = await call("POST", "/api/oauth-apps", "/api/oauth-apps", {
      body: { name: "Local", provider: "generic", clientId: "client-local", clientSecret: "client-local-secret-0123456789", authorizationUrl: `${oauth.origin}/authorize`, tokenUrl: `${oauth.origin}/token` },
    });
    expect(app).toMatchObject({ provider: "generic", maskedHint: "clie…789", connectionCount: 0 });
    expect((await call("GET", "/api/oauth-apps", "/api/oauth-apps")).items).toHaveLength(1);
    expect(await call("PATCH", "/api/oauth-apps/{id}", `/api/oauth-apps/${app.id}`, { body: { scopes: ["items:read"] } })).toMatchObject({ scopes: ["items:read"] });
    const connection = await call("POST", "/api/integrations/{slug}/connections", "/api/integrations/items_api/connections", {
      body: { name: "viaapp", auth: { type: "oauth2", grant: "authorization_code", app: app.id } },
    });
    expect(connection).toMatchObject({ status: "needs_reauth", settings: { appId: app.id, scopes: ["items:read"] } });
    expect(await call("GET", "/api/oauth-apps/{id}", `/api/oauth-apps/${app.id}`)).toMatchObject({ connectionCount: 1 });
    await call("DELETE", "/api/oauth-apps/{id}", `/api/oauth-apps/${app.id}?cascade=true`);

    const presets = await call("GET", "/api/presets", "/api/presets");
    expect(presets.total).toBeGreaterThan(15);
    const added = await call("POST", "/api/integrations", "/api/integrations", { body: { preset: "slack" } });
    expect(added).toMatchObject({ slug: "slack", preset: "slack", suggestedPolicies: [{ pattern: "slack.chat.delete" }] });
    expect(await call("GET", "/api/integrations/{slug}", "/api/integrations/slack")).toMatchObject({ oauth: { provider: "slack" } });
  });

  it("operations: the audit export, notification settings, re-sealing secrets", async () => {
    const lines = await call("GET", "/api/executions/export", "/api/executions/export");
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const settings = { enabled: true, url: `${receiver.origin}/hook`, format: "generic", secret: "a-webhook-secret" };
    expect(await call("PATCH", "/api/settings/notifications", "/api/settings/notifications", { body: settings })).toMatchObject({ console: { enabled: true } });
    await call("GET", "/api/settings/notifications", "/api/settings/notifications");
    expect(await call("POST", "/api/settings/notifications/test", "/api/settings/notifications/test")).toMatchObject({ status: "sent" });
    expect(receiver.deliveries.map((delivery) => delivery.signature)).toEqual(["valid"]);
    await call("DELETE", "/api/settings/notifications", "/api/settings/notifications");
    expect(await call("POST", "/api/admin/rotate-secrets", "/api/admin/rotate-secrets")).toEqual({ resealed: 0, remaining: 0, unreadable: 0 });
  });

  it("toolkits, personal rules, and a failure that says where to set up", async () => {
    const body = { slug: "reads", name: "Reads", include: ["items_api.items.*"], policies: [{ pattern: "items_api.items.createItem", action: "block" }], members: { groups: ["eng"] } };
    expect(await call("POST", "/api/toolkits", "/api/toolkits", { body })).toMatchObject({ mcpUrl: `${WORKER_ORIGIN}/mcp/toolkits/reads`, mayUse: false });
    expect((await call("GET", "/api/toolkits", "/api/toolkits")).items).toHaveLength(1);
    await call("GET", "/api/toolkits/{slug}", "/api/toolkits/reads");
    expect(await call("PATCH", "/api/toolkits/{slug}", "/api/toolkits/reads", { body: { members: null } })).toMatchObject({ members: null, mayUse: true });
    expect((await call("GET", "/api/tools", "/api/tools?toolkit=reads&limit=100")).items.length).toBeGreaterThan(0);
    expect(await call("GET", "/api/tools/{address}", "/api/tools/items_api.items.createItem?toolkit=reads")).toMatchObject({ policy: "block", policyRule: "tk:reads:0" });
    expect((await call("GET", "/api/executions", "/api/executions?toolkit=reads")).items).toEqual([]);

    const failed = await call("POST", "/api/executions", "/api/executions", { body: { code: `return await tools.items_api.items.listItems({}, { connection: "nope" })` } });
    expect(failed).toMatchObject({ status: "failed", error: { code: "no_connection", details: { url: `${WORKER_ORIGIN}/integrations/items_api`, integration: "items_api" } } });
    await expect.poll(async () => (await worker.asUser("admin@example.com", `/api/executions/${failed.executionId}`)).status).toBe(200);
    expect(await call("GET", "/api/executions/{id}", `/api/executions/${failed.executionId}`)).toMatchObject({ toolkit: null, error: { details: { integration: "items_api" } } });

    const rule = await call("POST", "/api/me/policies", "/api/me/policies", { body: { pattern: "items_api.*", action: "approve" } });
    expect((await call("GET", "/api/me/policies", "/api/me/policies")).items).toEqual([rule]);
    await call("DELETE", "/api/me/policies/{id}", `/api/me/policies/${rule.id}`, { headers: CONSOLE });
    await call("DELETE", "/api/toolkits/{slug}", "/api/toolkits/reads");
  });

  it("removing: a shared connection, then the integration", async () => {
    await call("DELETE", "/api/integrations/{slug}/connections/{name}", "/api/integrations/items_api/connections/work?shared=true");
    await call("DELETE", "/api/integrations/{slug}", "/api/integrations/items_api");
  });

  it("every route in the document was called above", () => {
    const missing = operations(document)
      .map(({ key }) => key)
      .filter((key) => !called.has(key) && !(key in NOT_CALLED_HERE));
    expect(missing).toEqual([]);
  });
});
