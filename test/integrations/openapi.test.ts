/**
 * OpenAPI integrations end to end: a real HTTP API on 127.0.0.1 (ALLOW_LOCAL_NETWORK=true),
 * added by URL, called from programs with every kind of connection, credentials injected by
 * the Worker and never visible anywhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { decide, execute, resume } from "../harness/executions";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWorker, type TestWorker } from "../harness/worker";

const ALL_SECRETS = [
  CREDENTIALS.headerKey,
  CREDENTIALS.queryKey,
  CREDENTIALS.cookieKey,
  CREDENTIALS.bearer,
  CREDENTIALS.basicPassword,
  CREDENTIALS.clientSecret,
  CREDENTIALS.oauthToken,
  Buffer.from(`${CREDENTIALS.basicUser}:${CREDENTIALS.basicPassword}`).toString("base64"),
];

describe("an OpenAPI integration against a real local API", () => {
  let api: ItemsApi;
  let worker: TestWorker;
  const seen: string[] = [];
  const admin = async (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => {
    const response = await worker.asUser("admin@example.com", path, init);
    seen.push(await response.clone().text());
    return response;
  };
  const post = (path: string, body: unknown) => admin(path, { method: "POST", body: JSON.stringify(body) });
  const addConnection = async (name: string, auth: Record<string, unknown>, shared = false) => {
    const response = await post("/api/integrations/items_api/connections", { name, shared, auth });
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json() as Promise<{ name: string; maskedHint: string; status: string }>;
  };
  const run = async (code: string) => {
    const view = await execute(worker, code);
    seen.push(JSON.stringify(view));
    return view;
  };

  beforeAll(async () => {
    api = await startItemsApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("detects what a URL serves before adding it", async () => {
    const response = await post("/api/integrations/detect", { url: `${api.origin}/openapi.json` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ kind: "openapi", name: "Items API", toolCount: 6 });
    await expectError(await post("/api/integrations/detect", { url: "ftp://x" }), 400, "invalid_request");
  });

  it("adds the integration from its URL: one tool per operation, relative server resolved", async () => {
    const response = await post("/api/integrations", { kind: "openapi", url: `${api.origin}/openapi.json` });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toEqual({ slug: "items_api", kind: "openapi", name: "Items API", toolCount: 6 });
    const detail = (await (await admin("/api/integrations/items_api")).json()) as { baseUrl: string; toolCount: number };
    expect(detail).toMatchObject({ baseUrl: `${api.origin}/v1`, toolCount: 6 });
    await expectError(await post("/api/integrations", { kind: "openapi", url: `${api.origin}/openapi.json` }), 409, "conflict");
  });

  it("a shared bearer connection: list, get, create (after approval) and delete round trip", async () => {
    const connection = await addConnection("work", { type: "bearer", token: CREDENTIALS.bearer }, true);
    expect(connection.maskedHint).toBe("bear…789");

    const listed = await run(`return await tools.items_api.items.listItems({})`);
    expect(listed).toMatchObject({ status: "completed", result: [{ id: 1, name: "first" }] });

    const paused = await run(`const created = await tools.items_api.items.createItem({ body: { name: "second", tags: ["b"] } }); return created`);
    expect(paused.status).toBe("paused");
    expect(paused.approval).toMatchObject({ tool: "items_api.items.createItem", args: { body: { name: "second", tags: ["b"] } } });
    expect(api.requests.filter((r) => r.method === "POST" && r.path === "/v1/items")).toHaveLength(0);
    await decide(worker, paused.executionId, paused.approval!.callId, "approve");
    const created = await resume(worker, paused.executionId);
    seen.push(JSON.stringify(created));
    expect(created).toMatchObject({ status: "completed", result: { id: 2, name: "second", tags: ["b"] } });
    expect(api.requests.filter((r) => r.method === "POST" && r.path === "/v1/items")).toHaveLength(1);

    await post("/api/policies", { pattern: "items_api.items.deleteItem", action: "allow" });
    const roundTrip = await run(`
      const one = await tools.items_api.items.getItem({ id: 2 });
      await tools.items_api.items.deleteItem({ id: 2 });
      let gone; try { await tools.items_api.items.getItem({ id: 2 }) } catch (e) { gone = [e.code, e.status] }
      return { one: one.name, gone }`);
    expect(roundTrip.error).toBeUndefined();
    expect(roundTrip).toMatchObject({ status: "completed", result: { one: "second", gone: ["upstream_error", 404] } });
    expect(api.requests.every((r) => r.path === "/openapi.json" || r.auth === "bearer")).toBe(true);
  });

  it.each([
    ["apiKey in a header (name from the spec)", { type: "apiKey", key: CREDENTIALS.headerKey }, "apiKey-header"],
    ["apiKey in the query", { type: "apiKey", key: CREDENTIALS.queryKey, name: "api_key", in: "query" }, "apiKey-query"],
    ["apiKey in a cookie", { type: "apiKey", key: CREDENTIALS.cookieKey, name: "session", in: "cookie" }, "apiKey-cookie"],
    ["basic", { type: "basic", username: CREDENTIALS.basicUser, password: CREDENTIALS.basicPassword }, "basic"],
    ["fixed headers", { type: "headers", headers: { "X-API-Key": CREDENTIALS.headerKey } }, "apiKey-header"],
    ["oauth2 client credentials", { type: "oauth2", grant: "client_credentials", clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret }, "oauth2"],
  ])("%s reaches the server in the right place", async (_name, auth, expected) => {
    const name = `c${Math.random().toString(36).slice(2, 8)}`;
    await addConnection(name, auth);
    const before = api.requests.length;
    const result = await run(`return (await tools.items_api.items.listItems({ tag: "a" }, { connection: "${name}" })).length`);
    expect(result).toMatchObject({ status: "completed", result: 1 });
    const request = api.requests.slice(before).find((r) => r.path === "/v1/items")!;
    expect(request.auth).toBe(expected);
    expect(request.query.tag).toBe("a");
  });

  it("the oauth2 token is fetched once and reused", async () => {
    await addConnection("oauth", { type: "oauth2", grant: "client_credentials", clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret });
    const tokenCalls = () => api.requests.filter((r) => r.path === "/oauth/token").length;
    await run(`return await tools.items_api.items.listItems({}, { connection: "oauth" })`);
    const after = tokenCalls();
    await run(`return await tools.items_api.items.listItems({}, { connection: "oauth" })`);
    expect(tokenCalls()).toBe(after);
  });

  it("testing a connection tries a harmless read", async () => {
    const good = await post("/api/integrations/items_api/connections/work/test", {});
    expect(await good.json()).toMatchObject({ ok: true });
    await addConnection("bad-test", { type: "bearer", token: "not-the-right-token-111" });
    const bad = await post("/api/integrations/items_api/connections/bad-test/test", {});
    expect(await bad.json()).toMatchObject({ ok: false, status: 401 });
    await expectError(await post("/api/integrations/items_api/connections/nope/test", {}), 404, "not_found");
  });

  it("a wrong key → connection_rejected, and the connection shows it", async () => {
    await addConnection("wrong", { type: "bearer", token: "not-the-right-token-000" });
    const result = await run(`try { await tools.items_api.items.listItems({}, { connection: "wrong" }) } catch (e) { return [e.code, e.status] }`);
    expect(result.result).toEqual(["connection_rejected", 401]);
    const list = (await (await admin("/api/integrations/items_api/connections")).json()) as { items: { name: string; status: string }[] };
    expect(list.items.find((c) => c.name === "wrong")?.status).toBe("rejected");
  });

  it("bad arguments are refused before anything is sent", async () => {
    const before = api.requests.length;
    const result = await run(`try { await tools.items_api.items.getItem({ id: "x" }) } catch (e) { return e.code }`);
    expect(result.result).toBe("invalid_arguments");
    expect(api.requests.length).toBe(before);
  });

  it("an upstream that echoes the credential gets it redacted", async () => {
    const result = await run(`return await tools.items_api.debug.echoAuth({}, { connection: "work" })`);
    expect(result.result).toEqual({ authorization: "Bearer [redacted]", key: null, cookie: null });
  });

  it("credentials do not follow a redirect to another origin", async () => {
    const other = await startItemsApi();
    try {
      api.setRedirect(`${other.origin}/v1/echo-auth`);
      const result = await run(`try { return await tools.items_api.debug.redirect({}, { connection: "work" }) } catch (e) { return [e.code, e.status] }`);
      const hop = other.requests.find((r) => r.path === "/v1/echo-auth")!;
      expect(hop).toBeDefined();
      expect(hop.headers.authorization).toBeUndefined();
      expect(result.result).toEqual(["connection_rejected", 401]);
    } finally {
      await other.close();
    }
  });

  it("a redirect to a metadata address is refused", async () => {
    api.setRedirect("http://169.254.169.254/latest/meta-data/");
    const result = await run(`try { return await tools.items_api.debug.redirect({}, { connection: "work" }) } catch (e) { return e.code }`);
    expect(result.result).toBe("upstream_error");
    expect(worker.unexpectedOutbound).toEqual([]);
  });

  it("no credential appears in any API response, execution record or log line", async () => {
    // Finished runs are recorded in small groups just after answering.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const history = await admin("/api/executions?limit=100");
    const ids = ((await history.json()) as { items: { id: string }[] }).items.map((item) => item.id);
    for (const id of ids) await admin(`/api/executions/${id}`);
    await admin("/api/integrations/items_api");
    await admin("/api/integrations/items_api/connections");
    const dump = await worker.db.prepare("SELECT * FROM executions").all();
    const calls = await worker.db.prepare("SELECT * FROM execution_calls").all();
    const connections = await worker.db.prepare("SELECT * FROM connections").all();
    const secrets = await worker.db.prepare("SELECT * FROM secrets").all();
    const everything = [...seen, JSON.stringify(dump.results), JSON.stringify(calls.results), JSON.stringify(connections.results), JSON.stringify(secrets.results), worker.logs.join("\n")].join("\n");
    for (const secret of ALL_SECRETS) expect(everything, `leaked ${secret}`).not.toContain(secret);
  });

  it("connections: personal ones are private, shared ones admin-only, names unique per owner", async () => {
    const bob = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("bob@example.com", path, init);
    await expectError(await bob("/api/integrations/items_api/connections", { method: "POST", body: JSON.stringify({ name: "x", shared: true, auth: { type: "none" } }) }), 403, "forbidden");
    const mine = await bob("/api/integrations/items_api/connections", { method: "POST", body: JSON.stringify({ name: "work", auth: { type: "bearer", token: CREDENTIALS.bearer } }) });
    expect(mine.status).toBe(201);
    const bobList = (await (await bob("/api/integrations/items_api/connections")).json()) as { items: { name: string; shared: boolean }[] };
    expect(bobList.items.filter((c) => !c.shared).map((c) => c.name)).toEqual(["work"]);
    expect(bobList.items.filter((c) => c.shared).map((c) => c.name)).toEqual(["work"]);
    await expectError(await bob("/api/integrations/items_api/connections", { method: "POST", body: JSON.stringify({ name: "work", auth: { type: "none" } }) }), 409, "conflict");
    await expectError(await post("/api/integrations/items_api/connections", { name: "bad", auth: { type: "apiKey" } }), 400, "invalid_request");
    expect((await bob("/api/integrations/items_api/connections/work", { method: "DELETE" })).status).toBe(204);
    await expectError(await bob("/api/integrations/items_api/connections/work?shared=true", { method: "DELETE" }), 403, "forbidden");
  });

  it("without ALLOW_LOCAL_NETWORK a loopback spec URL is refused with a clear 400", async () => {
    const closed = await startWorker();
    try {
      const response = await closed.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) });
      const body = await expectError(response, 400, "invalid_source");
      expect(body.error.message).toMatch(/127\.0\.0\.1|local|private|loopback/i);
      expect(((await (await closed.asUser("admin@example.com", "/api/integrations")).json()) as { total: number }).total).toBe(1);
    } finally {
      await closed.close();
    }
  });

  it("refresh reports the difference and keeps connections and policies", async () => {
    const response = await post("/api/integrations/items_api/refresh", {});
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ added: [], removed: [], changed: [] });
    const list = (await (await admin("/api/integrations/items_api/connections")).json()) as { total: number };
    expect(list.total).toBeGreaterThan(0);
  });

  it("removing the integration removes its tools, connections and their secrets", async () => {
    expect((await admin("/api/integrations/items_api", { method: "DELETE" })).status).toBe(204);
    await expectError(await admin("/api/integrations/items_api"), 404, "not_found");
    const left = await worker.db.prepare("SELECT (SELECT count(*) FROM tools) AS tools, (SELECT count(*) FROM connections) AS connections, (SELECT count(*) FROM secrets) AS secrets").first();
    expect(left).toEqual({ tools: 0, connections: 0, secrets: 0 });
  });
});
