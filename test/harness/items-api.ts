/**
 * A real HTTP API for the tests, on 127.0.0.1: a small "items" service described by an
 * OpenAPI document it serves itself, accepting every auth type the connections support and
 * recording where each request's credential arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const CREDENTIALS = {
  headerKey: "key-header-0123456789",
  queryKey: "key-query-0123456789",
  cookieKey: "key-cookie-0123456789",
  bearer: "bearer-token-0123456789",
  basicUser: "alice",
  basicPassword: "basic-password-0123456789",
  clientId: "client-123",
  clientSecret: "client-secret-0123456789",
  oauthToken: "oauth-access-token-0123456789",
} as const;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  body: string;
  /** Which credential authenticated it, or null. */
  auth: string | null;
}

export interface ItemsApi {
  origin: string;
  requests: RecordedRequest[];
  /** Where other tests can point a redirect. */
  setRedirect(location: string): void;
  close(): Promise<void>;
}

export interface ItemsApiOptions {
  /** An OAuth authorization server whose access tokens this API accepts. */
  oauth?: { origin: string; isValid(token: string): Promise<boolean> };
}

export function itemsSpec(options: ItemsApiOptions = {}): Record<string, unknown> {
  const item = { $ref: "#/components/schemas/Item" };
  const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
  return {
    openapi: "3.0.3",
    info: { title: "Items API", version: "1.0.0", description: "A small test API." },
    servers: [{ url: "/v1" }],
    security: [{ headerKey: [] }, { queryKey: [] }, { cookieKey: [] }, { bearer: [] }, { basic: [] }, { oauth: [] }],
    components: {
      schemas: {
        Item: { type: "object", required: ["id", "name"], properties: { id: { type: "integer" }, name: { type: "string" }, tags: { type: "array", items: { type: "string" } } } },
      },
      securitySchemes: {
        headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        queryKey: { type: "apiKey", in: "query", name: "api_key" },
        cookieKey: { type: "apiKey", in: "cookie", name: "session" },
        bearer: { type: "http", scheme: "bearer" },
        basic: { type: "http", scheme: "basic" },
        oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "/oauth/token", scopes: { read: "read items" } } } },
        ...(options.oauth
          ? { oauthCode: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: `${options.oauth.origin}/authorize`, tokenUrl: `${options.oauth.origin}/token`, scopes: { "items:read": "read items" } } } } }
          : {}),
      },
    },
    paths: {
      "/items": {
        get: {
          tags: ["items"],
          operationId: "listItems",
          summary: "List items",
          parameters: [{ name: "tag", in: "query", schema: { type: "string" } }],
          responses: { "200": { description: "ok", ...json({ type: "array", items: item }) } },
        },
        post: {
          tags: ["items"],
          operationId: "createItem",
          summary: "Create an item",
          requestBody: { required: true, ...json({ type: "object", required: ["name"], properties: { name: { type: "string" }, tags: { type: "array", items: { type: "string" } } } }) },
          responses: { "201": { description: "created", ...json(item) } },
        },
      },
      "/items/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        get: { tags: ["items"], operationId: "getItem", summary: "Get an item", responses: { "200": { description: "ok", ...json(item) }, "404": { description: "missing" } } },
        delete: { tags: ["items"], operationId: "deleteItem", summary: "Delete an item", responses: { "204": { description: "deleted" } } },
      },
      "/echo-auth": {
        get: { tags: ["debug"], operationId: "echoAuth", summary: "Echo the credentials received (a hostile upstream)", responses: { "200": { description: "ok", ...json({ type: "object" }) } } },
      },
      "/redirect": {
        get: { tags: ["debug"], operationId: "redirect", summary: "Redirect elsewhere", responses: { "200": { description: "ok" } } },
      },
    },
  };
}

/** Starts the API; the spec is served at `/openapi.json`. */
export async function startItemsApi(options: ItemsApiOptions = {}): Promise<ItemsApi> {
  const items = new Map<number, { id: number; name: string; tags: string[] }>([[1, { id: 1, name: "first", tags: ["a"] }]]);
  let nextId = 2;
  let redirectTo = "http://127.0.0.1:1/";
  const requests: RecordedRequest[] = [];

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, value?: unknown) => {
      res.writeHead(status, value === undefined ? {} : { "content-type": "application/json" });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    if (url.pathname === "/openapi.json") return send(200, itemsSpec(options));
    if (url.pathname === "/oauth/token") {
      const expected = `Basic ${Buffer.from(`${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`).toString("base64")}`;
      requests.push({ method: req.method!, path: url.pathname, query: {}, headers: req.headers, body, auth: req.headers.authorization === expected ? "oauth-client" : null });
      if (req.headers.authorization !== expected || !body.includes("grant_type=client_credentials")) return send(401, { error: "invalid_client" });
      return send(200, { access_token: CREDENTIALS.oauthToken, token_type: "bearer", expires_in: 3600 });
    }
    let auth = authenticate(req, url);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!auth && bearer && options.oauth && (await options.oauth.isValid(bearer))) auth = "oauth-code";
    requests.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, auth });
    if (!auth) return send(401, { message: "bad credentials" });

    const path = url.pathname.replace(/^\/v1/, "");
    if (path === "/echo-auth") return send(200, { authorization: req.headers.authorization ?? null, key: req.headers["x-api-key"] ?? null, cookie: req.headers.cookie ?? null });
    if (path === "/redirect") {
      res.writeHead(302, { location: redirectTo });
      return res.end();
    }
    if (path === "/items" && req.method === "GET") {
      const tag = url.searchParams.get("tag");
      return send(200, [...items.values()].filter((item) => !tag || item.tags.includes(tag)));
    }
    if (path === "/items" && req.method === "POST") {
      const input = JSON.parse(body) as { name: string; tags?: string[] };
      const item = { id: nextId++, name: input.name, tags: input.tags ?? [] };
      items.set(item.id, item);
      return send(201, item);
    }
    const match = /^\/items\/(\d+)$/.exec(path);
    if (match) {
      const item = items.get(Number(match[1]));
      if (!item) return send(404, { message: "no such item" });
      if (req.method === "GET") return send(200, item);
      if (req.method === "DELETE") {
        items.delete(item.id);
        return send(204);
      }
    }
    send(404, { message: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    setRedirect: (location) => {
      redirectTo = location;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function authenticate(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization ?? "";
  if (req.headers["x-api-key"] === CREDENTIALS.headerKey) return "apiKey-header";
  if (url.searchParams.get("api_key") === CREDENTIALS.queryKey) return "apiKey-query";
  if ((req.headers.cookie ?? "").split(/;\s*/).includes(`session=${CREDENTIALS.cookieKey}`)) return "apiKey-cookie";
  if (header === `Bearer ${CREDENTIALS.bearer}`) return "bearer";
  if (header === `Bearer ${CREDENTIALS.oauthToken}`) return "oauth2";
  if (header === `Basic ${Buffer.from(`${CREDENTIALS.basicUser}:${CREDENTIALS.basicPassword}`).toString("base64")}`) return "basic";
  return null;
}
