/**
 * Issue 13, item 12: "test this connection" makes a harmless call, and what counts as harmless
 * is also what the policies allow. A GET can still have a side effect (here `GET /rm`, the
 * shortest read, which the test would pick first); once an admin blocks it, the connection
 * test must not send it, but use another read nobody blocked or say there is none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, addPolicy, startAttackApi, type AttackApi } from "../harness/attack-api";
import { startWorker, type TestWorker } from "../harness/worker";

describe("item 12: the connection test never calls a blocked tool", () => {
  let api: AttackApi;
  let worker: TestWorker;
  const testConnection = async () => {
    const response = await worker.asUser("admin@example.com", "/api/integrations/attack_api/connections/default/test", { method: "POST", body: "{}" });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as { ok: boolean; message: string; status?: number };
  };

  beforeAll(async () => {
    api = await startAttackApi();
    // GET /hold answers at once here: it is a harmless read like the others.
    api.release();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "admin-token-0123456789" });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("without policies it picks the shortest read, GET /rm (the set-up works)", async () => {
    const before = api.requests.length;
    expect(await testConnection()).toMatchObject({ ok: true });
    expect(api.requests.slice(before).map((request) => `${request.method} ${request.path}`)).toEqual(["GET /v1/rm"]);
  });

  it("item 12: GET /rm blocked → not sent; another non-blocked read is used, or {ok:false, message}", async () => {
    await addPolicy(worker, "attack_api.attack.rm", "block");
    const before = api.requests.length;
    const result = await testConnection();
    const sent = api.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    expect(sent, "the blocked tool must not be called").not.toContain("GET /v1/rm");
    if (result.ok) {
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^GET \/v1\//);
    } else {
      expect(typeof result.message).toBe("string");
    }
  });

  it("item 12: every read blocked → nothing is sent and the answer says there is none", async () => {
    await addPolicy(worker, "attack_api.*", "block");
    const before = api.requests.length;
    const result = await testConnection();
    expect(api.requests.slice(before).map((request) => `${request.method} ${request.path}`), "no blocked tool may be called").toEqual([]);
    expect(result.ok).toBe(false);
    expect(result.message).toEqual(expect.any(String));
    expect(result.message.length).toBeGreaterThan(0);
  });
});
