/**
 * An OAuth token the upstream refuses with 401 before it expires (revoked, keys rotated):
 * one new token and one more try, for calls that are harmless to send twice (a GET, a
 * GraphQL query), never for a write with a body; a refresh the server refuses makes the
 * connection needs_reauth, a retry refused too makes it rejected. Real servers throughout:
 * the MCP SDK's authorization server with rotating refresh tokens (authorization code), a
 * client-credentials token endpoint, and APIs that ask them which tokens are valid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execute } from "../harness/executions";
import { startFilesApi, type FilesApi } from "../harness/files-api";
import { GRAPHQL_TOKEN, startGraphqlApi, type GraphqlApi } from "../harness/graphql-api";
import { startItemsApi, type ItemsApi } from "../harness/items-api";
import { startOAuthServer, type OAuthServer } from "../harness/oauth-server";
import { ISSUER_CLIENT, startTokenIssuer, type TokenIssuer } from "../harness/token-issuer";
import { startWorker, type TestWorker } from "../harness/worker";

describe("a refused OAuth token", () => {
  let oauth: OAuthServer;
  let issuer: TokenIssuer;
  let items: ItemsApi;
  let files: FilesApi;
  let graphqlApi: GraphqlApi;
  let worker: TestWorker;
  /** While true, the items API refuses every OAuth token, fresh ones too. */
  let refuseEveryToken = false;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const post = async (path: string, body: unknown) => {
    const response = await admin(path, { method: "POST", body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response;
  };
  const statusOf = async (integration: string, name: string) => {
    const list = (await (await admin(`/api/integrations/${integration}/connections`)).json()) as { items: { name: string; status: string }[] };
    return list.items.find((connection) => connection.name === name)?.status;
  };
  const itemsCalls = (method: string) => items.requests.filter((request) => request.method === method && request.path === "/v1/items");

  /** An authorization-code connection to the items API, through the real consent and callback. */
  async function authorise(name: string): Promise<void> {
    const created = (await (await post("/api/integrations/items_api/connections", { name, auth: { type: "oauth2", grant: "authorization_code", scopes: ["items:read"] } })).json()) as {
      authorizationUrl: string;
    };
    const consent = await fetch(created.authorizationUrl, { redirect: "manual" });
    const callback = new URL(consent.headers.get("location")!);
    expect((await admin(`/api/oauth/callback${callback.search}`, { redirect: "manual" })).status).toBe(302);
  }

  beforeAll(async () => {
    oauth = await startOAuthServer();
    issuer = await startTokenIssuer();
    items = await startItemsApi({ oauth: { origin: oauth.origin, isValid: async (token) => !refuseEveryToken && (await oauth.provider.isValid(token)) } });
    files = await startFilesApi({ acceptsToken: (token) => issuer.isValid(token), tokenUrl: issuer.tokenUrl });
    graphqlApi = await startGraphqlApi({ accepts: (authorization) => issuer.isValid(authorization.replace(/^Bearer /, "")) });
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await post("/api/integrations", { kind: "openapi", url: `${items.origin}/openapi.json` });
    await post("/api/integrations", { kind: "openapi", url: `${files.origin}/openapi.json`, slug: "files" });
    await post("/api/integrations", { kind: "graphql", url: graphqlApi.url, slug: "store", auth: { type: "bearer", token: GRAPHQL_TOKEN } });
    const clientCredentials = { type: "oauth2", grant: "client_credentials", clientId: ISSUER_CLIENT.id, clientSecret: ISSUER_CLIENT.secret, tokenUrl: issuer.tokenUrl };
    await post("/api/integrations/files/connections", { name: "default", shared: true, auth: clientCredentials });
    await post("/api/integrations/store/connections", { name: "oauth", shared: true, auth: clientCredentials });
    // Writes run without a human here: what matters is whether they are sent twice.
    for (const pattern of ["items_api.items.createItem", "files.names.add", "store.mutation.createItem"]) await post("/api/policies", { pattern, action: "allow" });
    await authorise("mine");
  });
  afterAll(async () => {
    await worker.close();
    await graphqlApi.close();
    await files.close();
    await items.close();
    await issuer.close();
    await oauth.close();
  });

  describe("authorization code", () => {
    it("a GET whose token is refused gets one refresh and is sent once more", async () => {
      expect(await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "mine" })).length`)).toMatchObject({ result: 1 });
      oauth.provider.revokeAccessTokens();
      const refreshes = oauth.provider.refreshCount;
      const gets = itemsCalls("GET").length;

      const run = await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "mine" })).length`);
      expect(run).toMatchObject({ status: "completed", result: 1 });
      expect(oauth.provider.refreshCount).toBe(refreshes + 1);
      expect(itemsCalls("GET").slice(gets).map((request) => request.auth)).toEqual([null, "oauth-code"]);
      expect(await statusOf("items_api", "mine")).toBe("ok");
    });

    it("a POST with a body is not sent twice: connection_rejected, no refresh; the next GET recovers", async () => {
      oauth.provider.revokeAccessTokens();
      const refreshes = oauth.provider.refreshCount;
      const posts = itemsCalls("POST").length;

      const run = await execute(worker, `try { await tools.items_api.items.createItem({ body: { name: "once" } }, { connection: "mine" }) } catch (e) { return [e.code, e.status] }`);
      expect(run.result).toEqual(["connection_rejected", 401]);
      expect(itemsCalls("POST").length).toBe(posts + 1);
      expect(oauth.provider.refreshCount).toBe(refreshes);
      expect(await statusOf("items_api", "mine")).toBe("rejected");

      expect(await execute(worker, `return (await tools.items_api.items.listItems({}, { connection: "mine" })).length`)).toMatchObject({ result: 1 });
      expect(oauth.provider.refreshCount).toBe(refreshes + 1);
      expect(await statusOf("items_api", "mine")).toBe("ok");
    });

    it("the retry refused too: connection_rejected and the connection rejected, after exactly two tries", async () => {
      const refreshes = oauth.provider.refreshCount;
      const gets = itemsCalls("GET").length;
      refuseEveryToken = true;
      try {
        const run = await execute(worker, `try { await tools.items_api.items.listItems({}, { connection: "mine" }) } catch (e) { return e.code }`);
        expect(run.result).toBe("connection_rejected");
      } finally {
        refuseEveryToken = false;
      }
      expect(itemsCalls("GET").length).toBe(gets + 2);
      expect(oauth.provider.refreshCount).toBe(refreshes + 1);
      expect(await statusOf("items_api", "mine")).toBe("rejected");
    });

    it("a refresh the server refuses: oauth_reauth_required and the connection needs_reauth", async () => {
      oauth.provider.revokeAccessTokens();
      oauth.provider.revokeRefreshTokens();
      const gets = itemsCalls("GET").length;
      const run = await execute(worker, `try { await tools.items_api.items.listItems({}, { connection: "mine" }) } catch (e) { return e.code }`);
      expect(run.result).toBe("oauth_reauth_required");
      expect(itemsCalls("GET").length).toBe(gets + 1);
      expect(await statusOf("items_api", "mine")).toBe("needs_reauth");
    });
  });

  describe("client credentials", () => {
    it("a refused token is replaced by a new one from the token endpoint, once", async () => {
      expect(await execute(worker, `return (await tools.files.names.list({})).length`)).toMatchObject({ result: 3 });
      const issued = issuer.issued.length;
      issuer.revokeAll();
      const before = files.requests.length;

      expect(await execute(worker, `return (await tools.files.names.list({})).length`)).toMatchObject({ status: "completed", result: 3 });
      expect(issuer.issued.length).toBe(issued + 1);
      expect(files.requests.slice(before).map((request) => request.authorization)).toEqual([`Bearer ${issuer.issued[issued - 1]}`, `Bearer ${issuer.issued[issued]}`]);
      expect(await statusOf("files", "default")).toBe("ok");
    });

    it("a write with a body is not retried", async () => {
      issuer.revokeAll();
      const issued = issuer.issued.length;
      const before = files.requests.length;
      const run = await execute(worker, `try { await tools.files.names.add({ body: { name: "x" } }) } catch (e) { return e.code }`);
      expect(run.result).toBe("connection_rejected");
      expect(files.requests.length).toBe(before + 1);
      expect(issuer.issued.length).toBe(issued);
    });
  });

  describe("GraphQL", () => {
    it("a query is read-only, so it is retried with a new token; a mutation is not", async () => {
      expect(await execute(worker, `return (await tools.store.query.item({ id: "1" }, { connection: "oauth" })).name`)).toMatchObject({ result: "first" });
      issuer.revokeAll();
      const before = graphqlApi.requests.length;
      expect(await execute(worker, `return (await tools.store.query.item({ id: "1" }, { connection: "oauth" })).name`)).toMatchObject({ result: "first" });
      expect(graphqlApi.requests.length).toBe(before + 2);

      issuer.revokeAll();
      const issued = issuer.issued.length;
      const run = await execute(worker, `try { await tools.store.mutation.createItem({ input: { name: "once" } }, { connection: "oauth" }) } catch (e) { return e.code }`);
      expect(run.result).toBe("connection_rejected");
      expect(graphqlApi.requests.length).toBe(before + 3);
      expect(issuer.issued.length).toBe(issued);
    });
  });
});
