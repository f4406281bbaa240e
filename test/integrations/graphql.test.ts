/** GraphQL integrations end to end: a real endpoint on 127.0.0.1, and GitHub's real schema. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, execute, resume } from "../harness/executions";
import { GRAPHQL_TOKEN, serveIntrospection, startGraphqlApi, type GraphqlApi } from "../harness/graphql-api";
import { startWorker, type TestWorker } from "../harness/worker";

describe("a GraphQL integration", () => {
  let api: GraphqlApi;
  let worker: TestWorker;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);

  beforeAll(async () => {
    api = await startGraphqlApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("introspects with the given credentials: one tool per query and mutation field", async () => {
    const response = await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "graphql", url: api.url, slug: "store", auth: { type: "bearer", token: GRAPHQL_TOKEN } }) });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toMatchObject({ slug: "store", kind: "graphql", toolCount: 4 });
    const tools = (await (await admin("/api/tools?integration=store")).json()) as { items: { address: string; defaultPolicy: string }[] };
    expect(tools.items.map((tool) => [tool.address, tool.defaultPolicy]).sort()).toEqual([
      ["store.mutation.createItem", "approve"],
      ["store.query.broken", "allow"],
      ["store.query.item", "allow"],
      ["store.query.items", "allow"],
    ]);
    // The shared `default` connection holds the credentials, masked.
    const connections = (await (await admin("/api/integrations/store/connections")).json()) as { items: { name: string; shared: boolean; maskedHint: string }[] };
    expect(connections.items).toMatchObject([{ name: "default", shared: true, maskedHint: "grap…789" }]);
  });

  it("a query with arguments and the default selection, and with a custom selection", async () => {
    const result = await execute(
      worker,
      `const one = await tools.store.query.item({ id: "1" });
       const picked = await tools.store.query.items({ tag: "a", select: "{ name owner { login } }" });
       return { one, picked }`,
    );
    expect(result.error).toBeUndefined();
    expect(result.result).toEqual({
      one: expect.objectContaining({ id: "1", name: "first", tags: ["a"] }),
      picked: [{ name: "first", owner: { login: "octocat" } }],
    });
    expect(api.requests.at(-1)?.authorization).toBe(`Bearer ${GRAPHQL_TOKEN}`);
  });

  it("a mutation pauses for approval, then runs", async () => {
    const paused = await execute(worker, `return await tools.store.mutation.createItem({ input: { name: "second" } })`);
    expect(paused.status).toBe("paused");
    await decide(worker, paused.executionId, paused.approval!.callId, "approve");
    expect(await resume(worker, paused.executionId)).toMatchObject({ status: "completed", result: { id: "2", name: "second" } });
  });

  it("GraphQL errors surface as upstream_error with the messages", async () => {
    const result = await execute(worker, `try { await tools.store.query.broken({}) } catch (e) { return [e.code, e.message] }`);
    expect((result.result as string[])[0]).toBe("upstream_error");
    expect((result.result as string[])[1]).toContain("the database is on fire");
  });

  it("bad arguments and a bad selection are refused before anything is sent", async () => {
    const before = api.requests.length;
    const result = await execute(
      worker,
      `const codes = [];
       try { await tools.store.query.item({}) } catch (e) { codes.push(e.code) }
       try { await tools.store.query.item({ id: "1", select: "{ name" }) } catch (e) { codes.push(e.code) }
       return codes`,
    );
    expect(result.result).toEqual(["invalid_arguments", "invalid_arguments"]);
    expect(api.requests.length).toBe(before);
  });

  it("imports GitHub's real GraphQL schema from an introspection result; nothing hangs on its recursive types", async () => {
    const text = readFileSync(resolve(import.meta.dirname, "../../node_modules/@octokit/graphql-schema/schema.json"), "utf8");
    const parsed = JSON.parse(text) as { data?: { __schema: Schema }; __schema?: Schema };
    const schema = (parsed.data?.__schema ?? parsed.__schema)!;
    const rootFields = (name: string | undefined) => schema.types.find((type) => type.name === name)?.fields?.filter((field) => !field.name.startsWith("__")).length ?? 0;
    const expected = rootFields(schema.queryType?.name) + rootFields(schema.mutationType?.name);
    const github = await serveIntrospection(text);
    try {
      const response = await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "graphql", url: github.url, slug: "github_graphql" }) });
      expect(response.status, (await response.clone().text()).slice(0, 300)).toBe(201);
      expect(((await response.json()) as { toolCount: number }).toolCount).toBe(expected);
      const described = await execute(worker, `return (await tools.describe("github_graphql.query.repository")).typescript`);
      expect(described.result).toMatch(/owner: string/);
    } finally {
      await github.close();
    }
  }, 60_000);
});

interface Schema {
  queryType?: { name: string };
  mutationType?: { name: string };
  types: { name: string; fields?: { name: string }[] | null }[];
}
