/**
 * A real GraphQL endpoint for the tests, built with the `graphql` package behind node:http.
 * It requires a bearer token, like most hosted GraphQL APIs.
 */
import { buildSchema, graphql } from "graphql";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const GRAPHQL_TOKEN = "graphql-token-0123456789";

const schema = buildSchema(`
  """An item in the store."""
  type Item { id: ID! name: String! tags: [String!]! owner: User }
  type User { login: String! name: String }
  input CreateItemInput { name: String! tags: [String!] }
  enum Order { NEWEST OLDEST }
  type Query {
    "One item by id."
    item(id: ID!): Item
    "Items, optionally by tag."
    items(tag: String, order: Order = NEWEST): [Item!]!
    "Always fails, for error handling."
    broken: Item
  }
  type Mutation {
    "Create an item."
    createItem(input: CreateItemInput!): Item!
  }
`);

export interface GraphqlApi {
  url: string;
  requests: { authorization?: string; query: string }[];
  close(): Promise<void>;
}

export interface GraphqlApiOptions {
  /** Accepts another Authorization header besides `Bearer GRAPHQL_TOKEN` (an OAuth token). */
  accepts?(authorization: string): boolean;
}

export async function startGraphqlApi(options: GraphqlApiOptions = {}): Promise<GraphqlApi> {
  const owner = { login: "octocat", name: "The Octocat" };
  const items = [{ id: "1", name: "first", tags: ["a"], owner }];
  const root = {
    item: ({ id }: { id: string }) => items.find((item) => item.id === id) ?? null,
    items: ({ tag }: { tag?: string }) => items.filter((item) => !tag || item.tags.includes(tag)),
    broken: () => {
      throw new Error("the database is on fire");
    },
    createItem: ({ input }: { input: { name: string; tags?: string[] } }) => {
      const item = { id: String(items.length + 1), name: input.name, tags: input.tags ?? [], owner };
      items.push(item);
      return item;
    },
  };
  const requests: GraphqlApi["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { query: string; variables?: Record<string, unknown> };
    requests.push({ authorization: req.headers.authorization, query: body.query });
    const authorization = req.headers.authorization ?? "";
    if (authorization !== `Bearer ${GRAPHQL_TOKEN}` && !options.accepts?.(authorization)) {
      res.writeHead(401, { "content-type": "application/json" });
      return res.end(JSON.stringify({ message: "Bad credentials" }));
    }
    const result = await graphql({ schema, source: body.query, variableValues: body.variables, rootValue: root });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A server that answers every POST with a fixed introspection result (GitHub's, in the tests). */
export async function serveIntrospection(introspection: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(introspection);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
