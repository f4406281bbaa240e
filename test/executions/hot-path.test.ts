/**
 * The hot path's D1 queries, read from workerd's inspector (every D1 query is a subrequest to
 * `http://d1/`; the upstream call is a subrequest to the test API): on a warm isolate, a tool
 * call on a shared or a personal connection makes at most one D1 query before its upstream
 * request is sent, and `execute` of `return 1` makes none before answering (its history is
 * written afterwards). A regression that adds a query in front fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute } from "../harness/executions";
import { connectInspector, isD1, isD1Write, type Inspector, type SubrequestEvent } from "../harness/inspector";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWorker, type TestWorker } from "../harness/worker";

const INSPECTOR_PORT = 9240 + (process.pid % 50);

describe("D1 queries on the hot path", () => {
  let api: ItemsApi;
  let worker: TestWorker;
  let inspector: Inspector;

  beforeAll(async () => {
    api = await startItemsApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, inspectorPort: INSPECTOR_PORT });
    const post = (path: string, body: unknown, email = "admin@example.com") =>
      worker.asUser(email, path, { method: "POST", body: JSON.stringify(body) }).then(async (response) => expect(response.status, await response.text()).toBe(201));
    await post("/api/integrations", { kind: "openapi", url: `${api.origin}/openapi.json` });
    await post("/api/integrations/items_api/connections", { name: "default", shared: true, auth: { type: "bearer", token: CREDENTIALS.bearer } });
    await post("/api/integrations/items_api/connections", { name: "mine", auth: { type: "bearer", token: CREDENTIALS.bearer } }, "bob@example.com");
    inspector = await connectInspector(INSPECTOR_PORT);
  });
  afterAll(async () => {
    inspector?.close();
    await worker.close();
    await api.close();
  });

  /** The subrequests the Worker made while running `code` as `email`, up to the answer. */
  async function subrequestsOf(code: string, email: string): Promise<SubrequestEvent[]> {
    await inspector.barrier();
    const from = inspector.subrequests.length;
    const view = await execute(worker, code, email);
    expect(view.status, JSON.stringify(view)).toBe("completed");
    // Events emitted before the answer arrive before the reply to this command; the answers'
    // bodies (to tell reads from writes) a moment later.
    await inspector.barrier();
    const events = inspector.subrequests.slice(from);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await inspector.barrier();
    return events;
  }

  /**
   * The D1 reads before the upstream request. Writes are left out: they are the history of the
   * run before (written ~20 ms after its answer), which a loaded machine may show late.
   */
  const queriesBeforeUpstream = (events: SubrequestEvent[]) => {
    const upstream = events.findIndex((event) => event.url.startsWith(api.origin));
    expect(upstream, JSON.stringify(events)).toBeGreaterThanOrEqual(0);
    return events.slice(0, upstream).filter((event) => isD1(event) && isD1Write(event) !== true).length;
  };

  it.each([
    ["the shared connection", "admin@example.com", "return (await tools.items_api.items.listItems({})).length"],
    ["a personal connection", "bob@example.com", 'return (await tools.items_api.items.listItems({}, { connection: "mine" })).length'],
  ])("a warm call on %s makes at most one D1 query before its upstream request", async (_name, email, code) => {
    await subrequestsOf(code, email); // warms the isolate's caches
    const events = await subrequestsOf(code, email);
    expect(queriesBeforeUpstream(events), JSON.stringify(events)).toBeLessThanOrEqual(1);
  });

  it("after a change to the connections, the next call reads them again (and still works)", async () => {
    await worker.asUser("bob@example.com", "/api/integrations/items_api/connections/other", { method: "DELETE" });
    await worker
      .asUser("bob@example.com", "/api/integrations/items_api/connections", { method: "POST", body: JSON.stringify({ name: "other", auth: { type: "bearer", token: "revoked-0123456789" } }) })
      .then((response) => expect(response.status).toBe(201));
    const events = await subrequestsOf('return (await tools.items_api.items.listItems({}, { connection: "mine" })).length', "bob@example.com");
    expect(queriesBeforeUpstream(events)).toBe(2);
    const view = await execute(worker, 'try { await tools.items_api.items.listItems({}, { connection: "other" }); return "sent" } catch (e) { return e.code }', "bob@example.com");
    expect(view.result).toBe("connection_rejected");
  });

  it("`return 1` makes no D1 query before answering: its only D1 traffic is the history written after", async () => {
    await subrequestsOf("return 1", "admin@example.com");
    const events = await subrequestsOf("return 1", "admin@example.com");
    // The history is written ~20 ms after the answer; on a loaded machine its write may already
    // show. Whatever shows must be that write (a batch that changed rows), never a read.
    const queries = events.filter(isD1);
    expect(queries.length, JSON.stringify(events)).toBeLessThanOrEqual(1);
    for (const query of queries) expect(isD1Write(query), query.responseBody).toBe(true);
  });
});
