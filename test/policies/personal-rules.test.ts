/**
 * Issue 17 §4: personal rules (/api/me/policies). A person's rules apply only to the
 * executions they own, whoever resumes them, and only tighten. Adding is open to any person;
 * deleting loosens, so it is held to the console, like a decision.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, startAttackApi, type AttackApi } from "../harness/attack-api";
import { decide, execute, resume } from "../harness/executions";
import { callTool, connectMcp } from "../harness/mcp-client";
import { startWorker, WORKER_ORIGIN, type TestWorker } from "../harness/worker";

const BOB = "bob@example.com";
const CAROL = "carol@example.com";
const CONSOLE = { "sec-fetch-site": "same-origin", origin: WORKER_ORIGIN };
const PING = (tag: string) => `return await tools.attack_api.attack.ping({ tag: "${tag}" })`;

describe("personal rules", () => {
  let api: AttackApi;
  let worker: TestWorker;
  const pings = (tag: string) => api.requests.filter((request) => request.path === "/v1/ping" && request.query.tag === tag);

  async function addRule(email: string, pattern: string, action: string): Promise<Response> {
    return worker.asUser(email, "/api/me/policies", { method: "POST", body: JSON.stringify({ pattern, action }) });
  }
  async function rules(email: string): Promise<{ id: string; pattern: string; action: string }[]> {
    return ((await (await worker.asUser(email, "/api/me/policies")).json()) as { items: { id: string; pattern: string; action: string }[] }).items;
  }

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "shared-token-0123456789" }, { shared: true });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it("'my runs must ask before any attack_api call': Bob's runs pause, Carol's do not", async () => {
    expect((await addRule(BOB, "attack_api.*", "approve")).status).toBe(201);
    const bobs = await execute(worker, PING("bob"), BOB);
    expect(bobs).toMatchObject({ status: "paused", approval: { tool: "attack_api.attack.ping" } });
    expect(pings("bob")).toEqual([]);
    expect(await execute(worker, PING("carol"), CAROL)).toMatchObject({ status: "completed" });
    expect(pings("carol")).toHaveLength(1);
  });

  it("the same over MCP: Bob's agent gets paused for a read", async () => {
    const agent = await connectMcp(worker, await worker.issuer.user(BOB));
    try {
      expect((await callTool(agent, "execute", { code: PING("bob-mcp") })).view.status).toBe("paused");
    } finally {
      await agent.close();
    }
  });

  it("a block hides the tool from its owner only; /api/tools shows each person their own policy and the rule that decided", async () => {
    expect((await addRule(BOB, "attack_api.attack.meta", "block")).status).toBe(201);
    const found = async (email: string) => (await execute(worker, `return (await tools.search("", { limit: 100 })).items.map((item) => item.address)`, email)).result as string[];
    expect(await found(BOB)).not.toContain("attack_api.attack.meta");
    expect(await found(CAROL)).toContain("attack_api.attack.meta");
    const blocked = await execute(worker, `try { await tools.attack_api.attack.meta({}) } catch (error) { return error.code }`, BOB);
    expect(blocked.result).toBe("blocked");
    expect((await worker.asUser(BOB, "/api/tools/attack_api.attack.meta")).status).toBe(404);
    const ping = (await (await worker.asUser(BOB, "/api/tools/attack_api.attack.ping")).json()) as unknown;
    expect(ping).toMatchObject({ policy: "approve", policyRule: expect.stringMatching(/^ppol_/) });
    expect(await (await worker.asUser(CAROL, "/api/tools/attack_api.attack.ping")).json()).toMatchObject({ policy: "allow", policyRule: null });
  });

  it("rules only tighten: allow is refused, and a person's rules are their own to list", async () => {
    const loosen = await addRule(BOB, "attack_api.attack.write", "allow");
    expect(loosen.status).toBe(400);
    expect((await rules(BOB)).map((rule) => [rule.pattern, rule.action])).toEqual([
      ["attack_api.*", "approve"],
      ["attack_api.attack.meta", "block"],
    ]);
    expect(await rules(CAROL)).toEqual([]);
  });

  it("they follow the owner: an admin resuming Bob's execution still meets Bob's rules, not their own", async () => {
    const code = `await tools.attack_api.attack.write({ body: { note: "owner" } }); return await tools.attack_api.attack.ping({ tag: "owner" })`;
    const paused = await execute(worker, code, BOB);
    expect(paused.approval).toMatchObject({ tool: "attack_api.attack.write" });
    expect((await decide(worker, paused.executionId, paused.approval!.callId, "approve")).status).toBe(200);
    const next = await resume(worker, paused.executionId, 0, "admin@example.com");
    expect(next).toMatchObject({ status: "paused", approval: { tool: "attack_api.attack.ping" } });
    expect(pings("owner")).toEqual([]);
  });

  it("agents have none: a service identity cannot add one", async () => {
    const token = await worker.issuer.service("ci-bot.access");
    const response = await worker.fetch("/api/me/policies", { method: "POST", headers: { "cf-access-jwt-assertion": token }, body: JSON.stringify({ pattern: "attack_api.*", action: "block" }) });
    expect(response.status).toBe(403);
  });

  it("deleting one loosens, so only the person in the console may; another's rule is not found", async () => {
    const [first] = await rules(BOB);
    const path = `/api/me/policies/${first!.id}`;
    expect((await worker.asUser(BOB, path, { method: "DELETE" })).status).toBe(403);
    expect((await worker.asUser(CAROL, path, { method: "DELETE", headers: CONSOLE })).status).toBe(404);
    expect((await worker.asUser(BOB, path, { method: "DELETE", headers: CONSOLE })).status).toBe(204);
    expect((await rules(BOB)).map((rule) => rule.pattern)).toEqual(["attack_api.attack.meta"]);
    expect(await execute(worker, PING("after-delete"), BOB)).toMatchObject({ status: "completed" });
  });
});
