/**
 * Presets through the API (issue 16 §2): the catalogue as a list, and `POST /api/integrations
 * {preset}` adding one from its real URL, answered by the test from real files (a slice of
 * Slack's spec; GitHub's published GraphQL schema from @octokit/graphql-schema) at the
 * network boundary. The preset's slice, its credential parameter, its OAuth provider and
 * scopes, and its suggested policies (returned, not created) come through.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetById } from "../../worker/presets";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

const ROOT = resolve(import.meta.dirname, "../..");
const SLACK_TOKEN = "xoxp-1234567890-abcdefghijkl";
const GITHUB_TOKEN = "github_pat_0123456789abcdefghij";

describe("presets", () => {
  let worker: TestWorker;
  const sent: { url: string; authorization: string | null; body: string }[] = [];
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const person = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("ada@example.com", path, init);
  const add = (body: unknown) => admin("/api/integrations", { method: "POST", body: JSON.stringify(body) });
  const record = async (request: Request) => {
    sent.push({ url: request.url, authorization: request.headers.get("authorization"), body: await request.text() });
  };

  beforeAll(async () => {
    worker = await startWorker({
      upstreams: {
        [presetById("slack")!.url]: () => new Response(readFileSync(resolve(ROOT, "test/fixtures/slack/slack_web_openapi_v2.slice.json"))),
        [presetById("github_graphql")!.schemaUrl!]: () => new Response(readFileSync(resolve(ROOT, "node_modules/@octokit/graphql-schema/schema.graphql"))),
        "https://slack.com/api/": async (request) => {
          await record(request);
          return Response.json({ ok: true, channels: [{ id: "C1", name: "general" }] });
        },
        "https://api.github.com/graphql": async (request) => {
          await record(request);
          return Response.json({ data: { viewer: { login: "octocat", name: "Mona" } } });
        },
      },
    });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it("lists the catalogue in the usual list shape, to everyone", async () => {
    const response = await person("/api/presets");
    expect(response.status).toBe(200);
    const list = (await response.json()) as { items: { id: string; kind: string; auth: unknown[]; policies: unknown[] }[]; total: number; nextOffset: null };
    expect(list.total).toBe(list.items.length);
    expect(list.nextOffset).toBeNull();
    expect(list.items.find((item) => item.id === "gmail")).toMatchObject({ kind: "google", auth: [{ type: "oauth2", provider: "google" }] });
    expect(list.items.find((item) => item.id === "linear")).toMatchObject({ kind: "graphql" });
  });

  it("adds Slack from its spec: the token parameter is left out, reads are GETs, the policies are suggested", async () => {
    const response = await add({ preset: "slack" });
    const added = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(added)).toBe(201);
    expect(added).toEqual({
      slug: "slack",
      kind: "openapi",
      name: "Slack",
      toolCount: 5,
      preset: "slack",
      suggestedPolicies: [{ pattern: "slack.chat.delete", action: "block", reason: "A deleted message cannot be restored" }],
    });
    // Suggested, not created.
    expect(((await (await admin("/api/policies")).json()) as { total: number }).total).toBe(0);

    const tool = (await (await person("/api/tools/slack.chat.postMessage")).json()) as { input: { properties: Record<string, unknown>; required?: string[] }; defaultPolicy: string };
    expect(Object.keys(tool.input.properties)).not.toContain("token");
    expect(tool.defaultPolicy).toBe("approve");
    const list = (await (await person("/api/tools/slack.conversations.list")).json()) as { defaultPolicy: string };
    expect(list.defaultPolicy).toBe("allow");

    const integration = (await (await person("/api/integrations/slack")).json()) as { oauth: { provider: string; defaultScopes: string[]; scopes: string[] } };
    expect(integration.oauth).toMatchObject({ provider: "slack", defaultScopes: ["channels:read", "channels:history", "chat:write", "users:read", "search:read"] });
    expect(integration.oauth.scopes).toContain("channels:read");

    // The connection sends the token; the call carries nothing else of it.
    const connection = await admin("/api/integrations/slack/connections", { method: "POST", body: JSON.stringify({ name: "default", shared: true, auth: { type: "bearer", token: SLACK_TOKEN } }) });
    expect(connection.status).toBe(201);
    expect(await execute(worker, `return (await tools.slack.conversations.list({ limit: 10 })).channels[0].name`)).toMatchObject({ status: "completed", result: "general" });
    expect(sent.at(-1)).toMatchObject({ url: "https://slack.com/api/conversations.list?limit=10", authorization: `Bearer ${SLACK_TOKEN}` });

    // One click in the console: each suggestion is an ordinary rule.
    const rule = await admin("/api/policies", { method: "POST", body: JSON.stringify({ pattern: "slack.chat.delete", action: "block" }) });
    expect(rule.status).toBe(201);
    const blocked = await execute(worker, `try { await tools.slack.chat.delete({ body: { channel: "C1", ts: "1" } }) } catch (e) { return e.code }`);
    expect(blocked.result).toBe("blocked");

    // A refresh reads the preset's source the same way (the token parameter stays out).
    const diff = await admin("/api/integrations/slack/refresh", { method: "POST" });
    expect(await diff.json()).toEqual({ added: [], removed: [], changed: [] });
  });

  it("a second Slack under another slug: the suggested patterns follow the slug", async () => {
    const added = (await (await add({ preset: "slack", slug: "team_slack", name: "Team Slack" })).json()) as { slug: string; name: string; suggestedPolicies: { pattern: string }[] };
    expect(added).toMatchObject({ slug: "team_slack", name: "Team Slack", suggestedPolicies: [{ pattern: "team_slack.chat.delete" }] });
    await expectError(await add({ preset: "slack" }), 409, "conflict");
  });

  it("adds GitHub GraphQL from GitHub's published schema; calls go to the endpoint", async () => {
    const response = await add({ preset: "github_graphql" });
    const added = (await response.json()) as { toolCount: number; suggestedPolicies: { pattern: string }[] };
    expect(response.status, JSON.stringify(added)).toBe(201);
    expect(added.toolCount).toBeGreaterThan(250);
    expect(added.suggestedPolicies.map((policy) => policy.pattern)).toEqual(["github_graphql.mutation.deleteIssue", "github_graphql.mutation.deleteProjectV2"]);
    const integration = (await (await person("/api/integrations/github_graphql")).json()) as { baseUrl: string; sourceUrl: string; oauth: { provider: string } };
    expect(integration).toMatchObject({ baseUrl: "https://api.github.com/graphql", sourceUrl: "https://api.github.com/graphql", oauth: { provider: "github" } });

    await admin("/api/integrations/github_graphql/connections", { method: "POST", body: JSON.stringify({ name: "default", shared: true, auth: { type: "bearer", token: GITHUB_TOKEN } }) });
    const viewer = await execute(worker, `return (await tools.github_graphql.query.viewer({ select: "login" })).login`);
    expect(viewer).toMatchObject({ status: "completed", result: "octocat" });
    expect(sent.at(-1)).toMatchObject({ url: "https://api.github.com/graphql", authorization: `Bearer ${GITHUB_TOKEN}` });
    expect(JSON.parse(sent.at(-1)!.body).query).toContain("viewer");
    // Refreshing reads the published schema again, without credentials.
    expect(await (await admin("/api/integrations/github_graphql/refresh", { method: "POST" })).json()).toEqual({ added: [], removed: [], changed: [] });
  });

  it.each([
    ["an unknown preset", { preset: "myspace" }, 400, "preset"],
    ["a preset with a kind", { preset: "slack", kind: "openapi", slug: "x" }, 400, "kind"],
    ["a preset with its own url", { preset: "slack", url: "https://example.com/spec.json", slug: "x" }, 400, "url"],
    ["Jira without the base URL its site needs", { preset: "jira" }, 400, "baseUrl"],
    ["a Google preset with a base URL", { preset: "gmail", baseUrl: "https://evil.example.com" }, 400, "baseUrl"],
    ["neither kind nor preset", { url: "https://example.com/spec.json" }, 400, "kind"],
  ])("refuses %s", async (_what, body, status, mentioned) => {
    const refused = await expectError(await add(body), status, "invalid_request");
    expect(JSON.stringify(refused.error)).toContain(mentioned);
  });

  it("only admins add presets", async () => {
    await expectError(await person("/api/integrations", { method: "POST", body: JSON.stringify({ preset: "slack", slug: "mine" }) }), 403, "forbidden");
  });
});
