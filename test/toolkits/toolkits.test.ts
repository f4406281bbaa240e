/**
 * Issue 17 §3: toolkits. Admins manage them through /api/toolkits; each has its own MCP
 * endpoint where only its tools exist (search, describe and calls see nothing else), its
 * rules only tighten the policy, and its members (Access groups for people, service tokens'
 * common_name for agents) are the only ones let in. Executions record their toolkit, the
 * history filters by it, and a resume through plain /mcp still applies it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, addPolicy, startAttackApi, type AttackApi } from "../harness/attack-api";
import { decide } from "../harness/executions";
import { waitForHistory } from "../harness/history";
import { callTool, connectMcp, type McpConnection } from "../harness/mcp-client";
import { startWorker, type TestWorker } from "../harness/worker";

const ADMIN = "admin@example.com";
const ONCALL = { groups: ["oncall"] };
const TRIAGE = {
  slug: "triage",
  name: "Triage",
  description: "Read pings, write notes",
  include: ["attack_api.attack.ping", "attack_api.attack.write", "attack_api.attack.rm"],
  policies: [{ pattern: "attack_api.attack.ping", action: "approve" }],
  members: { groups: ["oncall"], serviceTokens: ["ci-bot.access"] },
};

describe("toolkits", () => {
  let api: AttackApi;
  let worker: TestWorker;
  const open: McpConnection[] = [];
  const pings = (tag: string) => api.requests.filter((request) => request.path === "/v1/ping" && request.query.tag === tag);

  const asAdmin = (path: string, method = "GET", body?: unknown) =>
    worker.asUser(ADMIN, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  async function mcp(token: string, path = "/mcp/toolkits/triage"): Promise<McpConnection> {
    const connection = await connectMcp(worker, token, { path });
    open.push(connection);
    return connection;
  }
  const ada = async () => mcp(await worker.issuer.user("ada@example.com", ONCALL));
  async function rawPost(token: string, path: string): Promise<Response> {
    return worker.fetch(path, {
      method: "POST",
      headers: { "cf-access-jwt-assertion": token, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
    });
  }

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "shared-token-0123456789" }, { shared: true });
    await addPolicy(worker, "attack_api.attack.rm", "block");
    const created = await asAdmin("/api/toolkits", "POST", TRIAGE);
    expect(created.status, await created.clone().text()).toBe(201);
  });
  afterAll(async () => {
    await Promise.all(open.map((connection) => connection.close()));
    await worker?.close();
    await api?.close();
  });

  describe("the API", () => {
    it("anyone reads them, with the MCP URL and whether they may use it", async () => {
      const asAda = await worker.fetch("/api/toolkits", { headers: { "cf-access-jwt-assertion": await worker.issuer.user("ada@example.com", ONCALL) } });
      const list = (await asAda.json()) as { items: { slug: string; mcpUrl: string; mayUse: boolean }[] };
      expect(list.items).toMatchObject([{ slug: "triage", mcpUrl: "https://executor.test/mcp/toolkits/triage", mayUse: true }]);
      const asBob = (await (await worker.asUser("bob@example.com", "/api/toolkits/triage")).json()) as { mayUse: boolean; include: string[] };
      expect(asBob).toMatchObject({ mayUse: false, include: TRIAGE.include });
    });

    it("writes are admin-only", async () => {
      for (const [method, path] of [["POST", "/api/toolkits"], ["PATCH", "/api/toolkits/triage"], ["DELETE", "/api/toolkits/triage"]] as const) {
        const response = await worker.asUser("bob@example.com", path, { method, body: JSON.stringify({ ...TRIAGE, slug: "mine" }) });
        expect(response.status, `${method} ${path}`).toBe(403);
      }
    });

    it.each([
      ["a rule that would loosen (allow)", { ...TRIAGE, slug: "loose", policies: [{ pattern: "attack_api.*", action: "allow" }] }, 400],
      ["a malformed include pattern", { ...TRIAGE, slug: "bad", include: ["attack api"] }, 400],
      ["no include at all", { ...TRIAGE, slug: "empty", include: [] }, 400],
      ["a slug that is taken", TRIAGE, 409],
      ["a slug that cannot be a URL segment", { ...TRIAGE, slug: "Triage Team" }, 400],
    ])("refuses %s", async (_why, body, status) => {
      expect((await asAdmin("/api/toolkits", "POST", body)).status).toBe(status);
    });

    it("changes and removes one; an unknown one is 404", async () => {
      expect((await asAdmin("/api/toolkits", "POST", { slug: "spare", name: "Spare", include: ["attack_api.*"] })).status).toBe(201);
      const changed = await asAdmin("/api/toolkits/spare", "PATCH", { name: "Spare kit", members: { emails: ["Ada@Example.com"] } });
      expect(await changed.json()).toMatchObject({ name: "Spare kit", members: { emails: ["ada@example.com"] } });
      expect((await asAdmin("/api/toolkits/spare", "DELETE")).status).toBe(204);
      expect((await asAdmin("/api/toolkits/spare")).status).toBe(404);
      expect((await asAdmin("/api/toolkits/spare", "DELETE")).status).toBe(404);
    });
  });

  describe("membership", () => {
    it.each([
      ["a person in one of its Access groups", 200, () => worker.issuer.user("ada@example.com", ONCALL)],
      ["a person in no listed group (even an admin)", 403, () => worker.issuer.user(ADMIN)],
      ["its service token", 200, () => worker.issuer.service("ci-bot.access")],
      ["another service token", 403, () => worker.issuer.service("deploy-bot.access")],
    ] as const)("%s → %d", async (_who, status, token) => {
      const response = await rawPost(await token(), "/mcp/toolkits/triage");
      expect(response.status).toBe(status);
      if (status === 403) expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
    });

    it("an unknown toolkit → 404 JSON; plain /mcp stays the whole catalogue", async () => {
      const response = await rawPost(await worker.issuer.user(ADMIN), "/mcp/toolkits/nope");
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
      const whole = await mcp(await worker.issuer.user(ADMIN), "/mcp");
      const { view } = await callTool(whole, "execute", { code: `return (await tools.search("", { limit: 100 })).items.map((item) => item.address)` });
      expect(view.result).toEqual(expect.arrayContaining(["attack_api.attack.meta", "executor.integrations.list"]));
    });

    it("the SDK client of an agent with its service token works there", async () => {
      const agent = await mcp(await worker.issuer.service("ci-bot.access"));
      const { view } = await callTool(agent, "execute", { code: `return (await tools.search("")).total` });
      expect(view).toMatchObject({ status: "completed", result: 2 });
    });
  });

  describe("only the included tools exist", () => {
    it("execute's description names only what the toolkit includes", async () => {
      const { tools } = await (await ada()).client.listTools();
      expect(tools[0]!.description).toContain("attack_api (3 tools)");
      expect(tools[0]!.description).not.toContain("executor (");
    });

    it("search lists them (a blocked one left out), describe and calls see nothing else", async () => {
      const client = await ada();
      const code = `
        const found = (await tools.search("", { limit: 100 })).items.map((item) => item.address);
        const refusal = async (work) => { try { await work(); return "reached"; } catch (error) { return error.code; } };
        return {
          found,
          describeMeta: await refusal(() => tools.describe("attack_api.attack.meta")),
          callMeta: await refusal(() => tools.attack_api.attack.meta({})),
          builtin: await refusal(() => tools.executor.integrations.list({})),
          blocked: await refusal(() => tools.attack_api.attack.rm({})),
        };`;
      const { view } = await callTool(client, "execute", { code });
      expect(view.result).toEqual({ found: ["attack_api.attack.ping", "attack_api.attack.write"], describeMeta: "tool_not_found", callMeta: "tool_not_found", builtin: "tool_not_found", blocked: "blocked" });
      expect(api.requests.filter((request) => request.path === "/v1/meta")).toEqual([]);
    });

    it("/api/tools?toolkit= shows the catalog as the toolkit does", async () => {
      const page = (await (await asAdmin("/api/tools?toolkit=triage&limit=100")).json()) as { items: { address: string; policy: string; policyRule: string | null }[] };
      expect(page.items.map((item) => [item.address, item.policy])).toEqual([
        ["attack_api.attack.ping", "approve"],
        ["attack_api.attack.rm", "block"],
        ["attack_api.attack.write", "approve"],
      ]);
      expect(page.items[0]!.policyRule).toBe("tk:triage:0");
      expect((await asAdmin("/api/tools?toolkit=nope")).status).toBe(404);
    });
  });

  describe("its rules tighten, and executions remember the toolkit", () => {
    it("a read that runs at once in /mcp needs approval in the toolkit", async () => {
      const whole = await mcp(await worker.issuer.user("ada@example.com", ONCALL), "/mcp");
      expect((await callTool(whole, "execute", { code: `return await tools.attack_api.attack.ping({ tag: "whole" })` })).view.status).toBe("completed");
      const paused = await callTool(await ada(), "execute", { code: `return await tools.attack_api.attack.ping({ tag: "kit" })` });
      expect(paused.view).toMatchObject({ status: "paused", approval: { tool: "attack_api.attack.ping" } });
      expect(pings("kit")).toEqual([]);
    });

    it("the history records the toolkit and filters by it", async () => {
      const { view } = await callTool(await ada(), "execute", { code: "return 1" });
      const record = await waitForHistory(worker, view.executionId, (found) => found.status === "completed");
      expect(record).toMatchObject({ toolkit: "triage" });
      const filtered = (await (await asAdmin("/api/executions?toolkit=triage&limit=100")).json()) as { items: { id: string; toolkit: string | null }[] };
      expect(filtered.items.length).toBeGreaterThanOrEqual(2);
      expect(filtered.items.every((item) => item.toolkit === "triage")).toBe(true);
      const all = (await (await asAdmin("/api/executions?limit=100")).json()) as { items: { toolkit: string | null }[] };
      expect(all.items.some((item) => item.toolkit === null)).toBe(true);
    });

    it("a resume through plain /mcp still applies the toolkit the execution was started in", async () => {
      const code = `
        await tools.attack_api.attack.write({ body: { note: "kit-resume" } });
        try { await tools.attack_api.attack.meta({}); return "meta reached"; } catch (error) { return error.code; }`;
      const client = await ada();
      const paused = await callTool(client, "execute", { code });
      expect(paused.view.status).toBe("paused");
      expect((await decide(worker, paused.view.executionId, paused.view.approval!.callId, "approve")).status).toBe(200);
      const whole = await mcp(await worker.issuer.user("ada@example.com", ONCALL), "/mcp");
      const done = await callTool(whole, "resume", { executionId: paused.view.executionId });
      expect(done.view).toMatchObject({ status: "completed", result: "tool_not_found" });
    });

    it("a toolkit's endpoint resumes only the executions started in it", async () => {
      const whole = await mcp(await worker.issuer.user("ada@example.com", ONCALL), "/mcp");
      const paused = await callTool(whole, "execute", { code: `return await tools.attack_api.attack.write({ body: { note: "outside" } })` });
      expect(paused.view.status).toBe("paused");
      const result = await (await ada()).client.callTool({ name: "resume", arguments: { executionId: paused.view.executionId, waitSeconds: 0 } });
      expect(result.isError).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toMatch(/^not_found:/);
    });

    it("executions of a deleted toolkit can call nothing more, not even a call approved before", async () => {
      expect((await asAdmin("/api/toolkits", "POST", { ...TRIAGE, slug: "brief", policies: [], members: null })).status).toBe(201);
      const brief = await mcp(await worker.issuer.user(ADMIN), "/mcp/toolkits/brief");
      const paused = await callTool(brief, "execute", {
        code: `await tools.attack_api.attack.write({ body: { note: "brief" } }); try { await tools.attack_api.attack.ping({ tag: "after-delete" }); return "reached"; } catch (error) { return error.code; }`,
      });
      expect(paused.view.status).toBe("paused");
      expect((await decide(worker, paused.view.executionId, paused.view.approval!.callId, "approve")).status).toBe(200);
      expect((await asAdmin("/api/toolkits/brief", "DELETE")).status).toBe(204);
      const done = await callTool(await mcp(await worker.issuer.user(ADMIN), "/mcp"), "resume", { executionId: paused.view.executionId });
      expect(done.view).toMatchObject({ status: "failed", error: { code: "tool_not_found" } });
      expect(api.requests.filter((request) => request.body.includes('"brief"'))).toEqual([]);
      expect(pings("after-delete")).toEqual([]);
    });
  });
});
