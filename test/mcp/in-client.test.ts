/**
 * Issue 17 §1 and §2: approvals and set-up inside the MCP client. The SDK's own Client
 * declares URL-mode elicitation and answers each prompt the way a host does once its user
 * acted: for an approval, a person approves in the console (the approval API, as the
 * console's same-origin fetch calls it) and then the prompt is answered; for set-up, the user
 * adds the connection, then answers. One `tools/call` carries it all. Clients without the
 * capability keep `paused` + `resume`, and a session id that is not the caller's is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSessionId } from "../../worker/mcp/session-id";
import { addAttackConnection, addAttackIntegration, startAttackApi, type AttackApi } from "../harness/attack-api";
import { startItemsApi, type ItemsApi } from "../harness/items-api";
import { startOAuthServer, type OAuthServer } from "../harness/oauth-server";
import { decide } from "../harness/executions";
import { readHistory, waitForHistory, waitUntil } from "../harness/history";
import { callTool, connectMcp, type ConnectOptions, type McpConnection } from "../harness/mcp-client";
import { startWorker, TEST_SECRET_KEY, type TestWorker } from "../harness/worker";

const ADMIN = "admin@example.com";
const BOB = "bob@example.com";
const BOB_TOKEN = "bob-personal-token-0123456789";
const WAIT_SECONDS = 6;

const WRITE = (note: string) => `return await tools.attack_api.attack.write({ body: { note: "${note}" } })`;
const PING = (tag: string) => `return await tools.attack_api.attack.ping({ tag: "${tag}" })`;

describe("approvals and set-up in the MCP client", () => {
  let api: AttackApi;
  let worker: TestWorker;
  /** Where the MCP clients reach the Worker (its links are made for this origin). */
  let origin: string;
  const open: McpConnection[] = [];
  const writes = (note: string) => api.requests.filter((request) => request.path === "/v1/write" && request.body.includes(`"${note}"`));
  const pings = (tag: string) => api.requests.filter((request) => request.path === "/v1/ping" && request.query.tag === tag);

  async function connect(email: string, onUrl?: ConnectOptions["onUrl"]): Promise<McpConnection> {
    const connection = await connectMcp(worker, await worker.issuer.user(email), onUrl ? { onUrl } : {});
    open.push(connection);
    return connection;
  }

  /** What a person does with the approval page: reads the paused call and approves it. */
  async function approveInConsole(url: string): Promise<void> {
    const id = new URL(url).pathname.split("/").pop()!;
    const record = (await (await worker.asUser(ADMIN, `/api/executions/${id}`)).json()) as { pausedCallId: number };
    expect((await decide(worker, id, record.pausedCallId, "approve")).status).toBe(200);
  }

  async function addPersonalConnection(email: string, token: string): Promise<void> {
    await addAttackConnection(worker, "default", { type: "bearer", token }, { email });
  }

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", ELICITATION_WAIT_SECONDS: String(WAIT_SECONDS) } });
    origin = new URL(await worker.mf.ready).origin;
    await addAttackIntegration(worker, api);
    await addPersonalConnection(BOB, BOB_TOKEN);
  });
  afterAll(async () => {
    await Promise.all(open.map((connection) => connection.close()));
    await worker?.close();
    await api?.close();
  });

  it("one execute call pauses, sends the user to the approval page, waits for the decision and completes; the write is sent once", async () => {
    const bob = await connect(BOB, async (params) => {
      await approveInConsole(params.url);
      return { action: "accept" };
    });
    expect(bob.transport.sessionId).toMatch(/^mcp1\./);

    const { view, isError } = await callTool(bob, "execute", { code: WRITE("in-client") });
    expect(isError).toBe(false);
    expect(view).toMatchObject({ status: "completed", result: { written: true } });
    expect(writes("in-client").map((request) => request.token)).toEqual([BOB_TOKEN]);

    expect(bob.elicitations).toHaveLength(1);
    const prompt = bob.elicitations[0]!;
    expect(prompt).toMatchObject({ mode: "url", url: `${origin}/executions/${view.executionId}` });
    expect(prompt.message).toContain("attack_api.attack.write");
    expect(prompt.message).toContain('your connection "default"');
    expect(prompt.message).not.toContain("\n");
    expect(bob.completed).toEqual([prompt.elicitationId]);

    const history = await readHistory(worker, view.executionId, BOB);
    expect(history!.record).toMatchObject({ status: "completed" });
    expect(history!.record.calls).toMatchObject([{ tool: "attack_api.attack.write", status: "ok", decision: "approved" }]);
  });

  it("the wait ends without a decision: the call answers paused (with progress on the way), and resume works as always", async () => {
    const bob = await connect(BOB, async () => ({ action: "accept" }));
    const started = Date.now();
    const { view, text, progress } = await callTool(bob, "execute", { code: WRITE("timed-out") }, { progress: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_SECONDS * 1000);
    expect(view.status).toBe("paused");
    expect(text).toContain("call resume");
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]!.message).toContain("attack_api.attack.write");
    expect(writes("timed-out")).toEqual([]);

    expect((await decide(worker, view.executionId, view.approval!.callId, "approve")).status).toBe(200);
    const done = await callTool(bob, "resume", { executionId: view.executionId });
    expect(done.view).toMatchObject({ status: "completed", result: { written: true } });
    expect(writes("timed-out")).toHaveLength(1);
  });

  it("a declined prompt ends the wait at once: paused, nothing sent", async () => {
    const bob = await connect(BOB, async () => ({ action: "decline" }));
    const started = Date.now();
    const { view } = await callTool(bob, "execute", { code: WRITE("declined-prompt") });
    expect(view.status).toBe("paused");
    expect(Date.now() - started).toBeLessThan(WAIT_SECONDS * 1000);
    expect(writes("declined-prompt")).toEqual([]);
  });

  it("a client without the capability gets no session id and today's flow: paused, then resume", async () => {
    const plain = await connect(BOB);
    expect(plain.transport.sessionId).toBeUndefined();
    const paused = await callTool(plain, "execute", { code: WRITE("plain") });
    expect(paused.view.status).toBe("paused");
    expect(paused.text).toContain(paused.view.approval!.url);
    expect((await decide(worker, paused.view.executionId, paused.view.approval!.callId, "approve")).status).toBe(200);
    const done = await callTool(plain, "resume", { executionId: paused.view.executionId });
    expect(done.view).toMatchObject({ status: "completed", result: { written: true } });
    expect(writes("plain")).toHaveLength(1);
  });

  describe("session ids", () => {
    const post = async (email: string, sessionId: string) =>
      worker.fetch("/mcp", {
        method: "POST",
        headers: {
          "cf-access-jwt-assertion": await worker.issuer.user(email),
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": sessionId,
          "mcp-protocol-version": "2025-11-25",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
    let sessionId: string;
    beforeAll(async () => {
      sessionId = (await connect(BOB, async () => ({ action: "cancel" }))).transport.sessionId!;
    });

    it("the caller's own session id is honoured", async () => {
      expect((await post(BOB, sessionId)).status).toBe(200);
    });

    it.each([
      ["an altered signature", () => sessionId.slice(0, -2) + (sessionId.endsWith("AA") ? "BB" : "AA")],
      ["altered claims under the old signature", () => {
        const [prefix, payload, signature] = sessionId.split(".");
        const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
        return `${prefix}.${Buffer.from(JSON.stringify({ ...claims, sub: `user:${ADMIN}` })).toString("base64url")}.${signature}`;
      }],
      ["garbage", () => "not-a-session"],
    ])("%s → 404, initialise again", async (_name, forge) => {
      const response = await post(BOB, forge());
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    });

    it("one signed with another key → 404", async () => {
      const forged = await signSessionId("another-secret-key-0123456789abcdef-0123", { sub: `user:${BOB}`, ep: "", url: true, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 });
      expect((await post(BOB, forged)).status).toBe(404);
    });

    it("through a key rotation the session id stays valid until the previous key is removed", async () => {
      const NEW_KEY = "rotated-secret-key-0123456789abcdef-0123456";
      const during = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", EXECUTOR_SECRET_KEY: NEW_KEY, EXECUTOR_SECRET_KEY_PREVIOUS: TEST_SECRET_KEY } });
      const after = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", EXECUTOR_SECRET_KEY: NEW_KEY } });
      try {
        const postTo = async (target: TestWorker) =>
          target.fetch("/mcp", {
            method: "POST",
            headers: {
              "cf-access-jwt-assertion": await target.issuer.user(BOB),
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
              "mcp-session-id": sessionId,
              "mcp-protocol-version": "2025-11-25",
            },
            body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
          });
        expect((await postTo(during)).status).toBe(200);
        expect((await postTo(after)).status).toBe(404);
      } finally {
        await during.close();
        await after.close();
      }
    });

    it("another identity's session id → 404, even though Access let the caller in", async () => {
      const response = await post(ADMIN, sessionId);
      expect(response.status).toBe(404);
      expect(await waitUntil(() => worker.logs.join("\n").includes("mcp session refused: other_identity"))).toBe(true);
    });
  });

  describe("set-up in the client", () => {
    it("no_connection: the client is sent to the integration's page; once the user added a connection the same call is retried and succeeds", async () => {
      const carol = await connect("carol@example.com", async () => {
        await addPersonalConnection("carol@example.com", "carol-token-0123456789");
        return { action: "accept" };
      });
      const { view, isError } = await callTool(carol, "execute", { code: `console.log("before"); ${PING("set-up")}` });
      expect(isError).toBe(false);
      expect(view).toMatchObject({ status: "completed", result: { path: "/ping", tag: "set-up" }, logs: ["before"] });
      expect(pings("set-up").map((request) => request.token)).toEqual(["carol-token-0123456789"]);
      expect(carol.elicitations).toHaveLength(1);
      expect(carol.elicitations[0]).toMatchObject({ mode: "url", url: `${origin}/integrations/attack_api` });
      expect(carol.elicitations[0]!.message).toContain("attack_api.attack.ping");
      expect(carol.completed).toEqual([carol.elicitations[0]!.elicitationId]);
      const history = await waitForHistory(worker, view.executionId, (record) => record.status === "completed");
      expect(history!.calls).toMatchObject([{ tool: "attack_api.attack.ping", status: "ok" }]);
    });

    it("the retry sends nothing twice: a call made before the failing one is answered from the journal", async () => {
      // Bob has a default connection; the second call names one he does not have yet.
      const bob = await connect(BOB, async () => {
        await addAttackConnection(worker, "work", { type: "bearer", token: "bob-work-token-0123456789" }, { email: BOB });
        return { action: "accept" };
      });
      const code = `await tools.attack_api.attack.ping({ tag: "sent-once" }); return await tools.attack_api.attack.ping({ tag: "named" }, { connection: "work" })`;
      const { view } = await callTool(bob, "execute", { code });
      expect(view).toMatchObject({ status: "completed", result: { tag: "named" } });
      expect(pings("sent-once").map((request) => request.token)).toEqual([BOB_TOKEN]);
      expect(pings("named").map((request) => request.token)).toEqual(["bob-work-token-0123456789"]);
      const history = await waitForHistory(worker, view.executionId, (record) => record.status === "completed");
      expect(history!.calls.map((call) => [call.tool, call.connection, call.status])).toEqual([
        ["attack_api.attack.ping", null, "ok"],
        ["attack_api.attack.ping", "work", "ok"],
      ]);
    });

    describe("a personal OAuth connection that needs authorising", () => {
      let oauth: OAuthServer;
      let items: ItemsApi;
      beforeAll(async () => {
        oauth = await startOAuthServer();
        items = await startItemsApi({ oauth: { origin: oauth.origin, isValid: (token) => oauth.provider.isValid(token) } });
        const added = await worker.asUser(ADMIN, "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${items.origin}/openapi.json` }) });
        expect(added.status, await added.clone().text()).toBe(201);
      });
      afterAll(async () => {
        await items?.close();
        await oauth?.close();
      });

      it("oauth_reauth_required: the client is sent to the authorization URL itself; after the callback the call is retried and succeeds", async () => {
        const GRACE = "grace@example.com";
        // Grace made the connection but never finished the consent: it needs authorising.
        const created = await worker.asUser(GRACE, "/api/integrations/items_api/connections", {
          method: "POST",
          body: JSON.stringify({ name: "mine", auth: { type: "oauth2", grant: "authorization_code", scopes: ["items:read"] } }),
        });
        expect(created.status, await created.clone().text()).toBe(201);
        const grace = await connect(GRACE, async (params) => {
          // What her browser does: the authorization server approves and sends her back to the Worker.
          const approved = await fetch(params.url, { redirect: "manual" });
          const callback = new URL(approved.headers.get("location")!);
          expect((await worker.asUser(GRACE, `/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
          return { action: "accept" };
        });
        const { view } = await callTool(grace, "execute", { code: `return (await tools.items_api.items.listItems({})).length` });
        expect(view).toMatchObject({ status: "completed", result: 1 });
        expect(grace.elicitations).toHaveLength(1);
        const url = new URL(grace.elicitations[0]!.url);
        expect(url.origin + url.pathname).toBe(`${oauth.origin}/authorize`);
        expect(url.searchParams.get("state")).toBeTruthy();
        expect(grace.elicitations[0]!.message).toContain("authorise items_api again");
        expect(items.requests.filter((request) => request.path === "/v1/items" && request.method === "GET")).toHaveLength(1);
      });
    });

    it("a declined set-up: the call fails at once with the page in details.url", async () => {
      const dave = await connect("dave@example.com", async () => ({ action: "decline" }));
      const { view, text, isError } = await callTool(dave, "execute", { code: PING("declined-set-up") });
      expect(isError).toBe(true);
      expect(view.error).toEqual({ code: "no_connection", message: expect.any(String), details: { url: `${origin}/integrations/attack_api`, integration: "attack_api" } });
      expect(text).toContain(`${origin}/integrations/attack_api`);
      expect(pings("declined-set-up")).toEqual([]);
    });

    it("without the capability the error carries the page in details.url, for the agent to show; a program can read it too", async () => {
      const plain = await connect("frank@example.com");
      const failed = await callTool(plain, "execute", { code: PING("plain-set-up") });
      expect(failed.view.error).toMatchObject({ code: "no_connection", details: { url: `${origin}/integrations/attack_api`, integration: "attack_api" } });
      expect(failed.text.split("\n")[0]).toContain("Needs set-up");
      const caught = await callTool(plain, "execute", { code: `try { ${PING("caught")} } catch (error) { return { code: error.code, details: error.details } }` });
      expect(caught.view.result).toEqual({ code: "no_connection", details: { url: `${origin}/integrations/attack_api`, integration: "attack_api" } });
    });
  });
});
