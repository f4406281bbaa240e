/**
 * build-operation.ts: a tool call to `{query, variables}`. The documents are executed against
 * the fixture schema with graphql-js, so "valid" means a server accepted and ran them.
 */
import { Validator } from "@cfworker/json-schema";
import { graphql, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { buildOperation, GraphqlSchemaError, importGraphql, readGraphqlResponse, type GraphqlTool } from "../../../worker/sources/graphql";
import { fixtureIntrospection, fixtureSchema } from "./fixture-schema";

const schema = fixtureSchema();
const { tools } = importGraphql(fixtureIntrospection());

function tool(name: string): GraphqlTool {
  const found = tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

const OWNER = { __typename: "User", id: "U1", login: "octo" };
const REPOSITORY = {
  __typename: "Repository",
  id: "R1",
  name: "hello",
  stars: 3,
  score: 1.5,
  private: false,
  kind: "BUG",
  createdAt: "2024-05-01T10:00:00Z",
  state: "active",
  owner: OWNER,
  parent: null,
  topics: [{ name: "graphql" }],
};
const ISSUE = { __typename: "Issue", id: "I1", number: 7, title: "Broken", state: "OPEN", repository: REPOSITORY };

/** Root resolvers that record the arguments each call received. */
function rootValue(received: Record<string, unknown>[]) {
  return {
    repository: (args: Record<string, unknown>) => (received.push(args), args.owner === "octo" ? REPOSITORY : null),
    search: (args: Record<string, unknown>) => (
      received.push(args), { totalCount: 1, nodes: [ISSUE], edges: [], pageInfo: { hasNextPage: false, endCursor: "c1" } }
    ),
    item: (args: Record<string, unknown>) => (received.push(args), args.id === "I1" ? ISSUE : REPOSITORY),
    createIssue: (args: { input: { title: string } }) => (received.push(args), { issue: { ...ISSUE, title: args.input.title }, clientMutationId: null }),
    deleteIssue: (args: Record<string, unknown>) => (received.push(args), true),
  };
}

/** Validates, then runs a built operation against the fixture schema; returns the root field's value and the resolver's arguments. */
async function run(name: string, args: Record<string, unknown>): Promise<{ value: unknown; received: Record<string, unknown> }> {
  const { query, variables } = buildOperation(tool(name).invocation, args);
  expect(validate(schema, parse(query))).toEqual([]);
  const received: Record<string, unknown>[] = [];
  const result = await graphql({ schema, source: query, variableValues: variables, rootValue: rootValue(received) });
  expect(result.errors).toBeUndefined();
  return { value: readGraphqlResponse(JSON.parse(JSON.stringify(result)), tool(name).invocation.field), received: received[0] };
}

describe("buildOperation", () => {
  it("declares and passes only the arguments the caller gave", () => {
    const { query, variables } = buildOperation(tool("query.search").invocation, { query: "bug", first: undefined, after: "c0" });
    expect(variables).toEqual({ query: "bug", after: "c0" });
    expect(query).toMatch(/^query \(\$query: String!, \$after: String\) \{\n {2}search\(query: \$query, after: \$after\) \{/);
    expect(query).not.toContain("$first");
  });

  it("sends the default document's selection when no select is given", () => {
    const { query } = buildOperation(tool("query.repository").invocation, { owner: "octo", name: "hello", followRenames: true });
    expect(query).toBe(tool("query.repository").invocation.document);
  });

  it("keeps values out of the document", () => {
    const { query, variables } = buildOperation(tool("query.repository").invocation, { owner: '") { x } #', name: "$name" });
    expect(query).not.toContain("x }");
    expect(variables).toEqual({ owner: '") { x } #', name: "$name" });
  });

  it.each([
    ["with braces", "{ id owner { login } }"],
    ["without braces", "id owner { login }"],
    ["with surrounding space", "  { id\n owner { login } }  "],
  ])("replaces the selection with a select %s", (_case, select) => {
    const { query, variables } = buildOperation(tool("query.repository").invocation, { owner: "octo", name: "hello", select });
    expect(variables).toEqual({ owner: "octo", name: "hello" });
    expect(query).toBe("query ($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    id\n    owner {\n      login\n    }\n  }\n}");
  });

  it.each([
    ["an unclosed brace", "{ id"],
    ["an extra brace", "{ id } }"],
    ["nothing", ""],
    ["empty braces", "{ }"],
    ["a second operation", "{ id } mutation { deleteIssue(id: \"I1\") }"],
    ["a fragment definition", "{ ...F } fragment F on Repository { id }"],
    ["a variable", "{ issues(first: $n) { totalCount } }"],
    ["a number", 42],
  ])("rejects a select with %s", (_case, select) => {
    expect(() => buildOperation(tool("query.repository").invocation, { owner: "octo", name: "hello", select })).toThrow(GraphqlSchemaError);
  });

  it("rejects a select for a scalar field and an argument the field does not have", () => {
    expect(() => buildOperation(tool("mutation.deleteIssue").invocation, { id: "I1", select: "{ id }" })).toThrow(GraphqlSchemaError);
    expect(() => buildOperation(tool("query.repository").invocation, { owner: "octo", name: "hello", nmae: "x" })).toThrow(GraphqlSchemaError);
  });
});

describe("built operations, executed", () => {
  it("runs a default query, whose result matches the tool's output schema", async () => {
    const { value, received } = await run("query.repository", { owner: "octo", name: "hello" });
    expect(received).toEqual({ owner: "octo", name: "hello", followRenames: true });
    expect(value).toEqual({ ...REPOSITORY, __typename: undefined, owner: { id: "U1", login: "octo" } });
    expect(new Validator(tool("query.repository").outputSchema as object, "2020-12").validate(value).valid).toBe(true);
  });

  it("runs a query with a custom selection, inline fragments included", async () => {
    const { value } = await run("query.item", { id: "I1", select: "{ __typename ... on Issue { title repository { owner { login } } } }" });
    expect(value).toEqual({ __typename: "Issue", title: "Broken", repository: { owner: { login: "octo" } } });
  });

  it("runs a connection query with list, enum and input object variables", async () => {
    const filter = { any: [{ kinds: ["BUG"] }], not: { since: "2024-01-01" } };
    const { value, received } = await run("query.search", { query: "bug", kinds: ["BUG", "FEATURE"], filter });
    expect(received).toMatchObject({ query: "bug", first: 10, kinds: ["BUG", "FEATURE"], filter: { any: [{ kinds: ["BUG"], label: "triage" }] } });
    expect(value).toEqual({ totalCount: 1, nodes: [{ id: "I1", title: "Broken", number: 7, state: "OPEN" }], pageInfo: { hasNextPage: false, endCursor: "c1" } });
    expect(new Validator(tool("query.search").outputSchema as object, "2020-12").validate(value).valid).toBe(true);
  });

  it("runs the default union selection", async () => {
    const { value } = await run("query.item", { id: "R1" });
    expect(value).toMatchObject({ __typename: "Repository", id: "R1", name: "hello", stars: 3 });
    expect(value).not.toHaveProperty("state");
  });

  it("runs mutations, with and without a selection", async () => {
    const created = await run("mutation.createIssue", { input: { repositoryId: "R1", title: "New" }, select: "issue { title }" });
    expect(created.received).toEqual({ input: { repositoryId: "R1", title: "New", kind: "BUG" } });
    expect(created.value).toEqual({ issue: { title: "New" } });
    expect((await run("mutation.deleteIssue", { id: "I1" })).value).toBe(true);
  });
});
