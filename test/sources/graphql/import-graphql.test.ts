/**
 * import-graphql.ts on a small schema: which root fields become tools, their input schemas
 * (checked by the Worker's validator), default policies and the default selection sets.
 */
import { Validator } from "@cfworker/json-schema";
import { parse, print, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { importGraphql, type GraphqlTool } from "../../../worker/sources/graphql";
import { fixtureIntrospection, fixtureSchema } from "./fixture-schema";

const fixture = importGraphql(fixtureIntrospection());

function tool(name: string): GraphqlTool {
  const found = fixture.tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

/** The printed selection set of the tool's root field. */
function selectionOf(name: string): string | undefined {
  const operation = parse(tool(name).invocation.document).definitions[0];
  if (operation.kind !== "OperationDefinition") throw new Error("not an operation");
  const field = operation.selectionSet.selections[0];
  if (field.kind !== "Field") throw new Error("not a field");
  return field.selectionSet && print(field.selectionSet);
}

function normalise(selectionSet: string): string {
  return print(parse(selectionSet));
}

function accepts(name: string, input: unknown): boolean {
  return new Validator(tool(name).inputSchema, "2020-12").validate(input).valid;
}

describe("importGraphql tools", () => {
  it("makes one tool per query and mutation field, skipping subscriptions", () => {
    expect(fixture.tools.map((candidate) => candidate.name)).toEqual([
      "query.repository",
      "query.search",
      "query.node",
      "query.item",
      "query.issueCount",
      "query.opaque",
      "query.oldSearch",
      "mutation.createIssue",
      "mutation.deleteIssue",
    ]);
    expect(fixture.queryCount).toBe(7);
    expect(fixture.mutationCount).toBe(2);
  });

  it("skips root fields whose names start with __", () => {
    const introspection = fixtureIntrospection();
    const types = (introspection.data.__schema as { types: { name: string; fields: { name: string }[] | null }[] }).types;
    const query = types.find((type) => type.name === "Query");
    const repository = query?.fields?.find((field) => field.name === "repository");
    if (!query?.fields || !repository) throw new Error("fixture has no Query.repository");
    query.fields.push({ ...repository, name: "__internal" });
    expect(importGraphql(introspection).tools.map((candidate) => candidate.name)).not.toContain("query.__internal");
  });

  it("lets queries run and makes mutations wait for approval", () => {
    expect(tool("query.repository").defaultPolicy).toBe("allow");
    expect(tool("mutation.createIssue").defaultPolicy).toBe("approve");
    expect(tool("mutation.deleteIssue").defaultPolicy).toBe("approve");
  });

  it("describes the field, its deprecation and the select argument", () => {
    expect(tool("query.repository").description).toMatch(/^Look up a repository by its owner and name\. .*`select`/);
    expect(tool("query.oldSearch").description).toContain("Deprecated: Use search.");
    expect(tool("mutation.deleteIssue").description).toBe("GraphQL mutation `deleteIssue`.");
  });

  it("records the invocation with every argument's GraphQL type", () => {
    expect(tool("query.search").invocation).toMatchObject({
      operation: "query",
      field: "search",
      variables: { query: "String!", first: "Int", kinds: "[Kind!]", filter: "IssueFilter", after: "String" },
    });
    expect(tool("mutation.createIssue").invocation.document).toMatch(/^mutation \(\$input: CreateIssueInput!\) \{\n {2}createIssue\(input: \$input\) \{/);
  });

  it("builds default documents that validate against the schema", () => {
    const schema = fixtureSchema();
    for (const candidate of fixture.tools) expect(validate(schema, parse(candidate.invocation.document)), candidate.name).toEqual([]);
  });
});

describe("importGraphql input schemas", () => {
  it("requires non-null arguments without a default and lets nullable ones be null", () => {
    const schema = tool("query.repository").inputSchema;
    expect(schema).toMatchObject({
      type: "object",
      required: ["owner", "name"],
      additionalProperties: false,
      properties: {
        owner: { type: "string" },
        name: { type: "string" },
        followRenames: { type: ["boolean", "null"], default: true },
        select: { type: "string" },
      },
    });
    expect(schema.$defs).toBeUndefined();
    expect(accepts("query.repository", { owner: "octo", name: "hello", followRenames: null })).toBe(true);
    expect(accepts("query.repository", { owner: "octo" })).toBe(false);
    expect(accepts("query.repository", { owner: "octo", name: "hello", extra: 1 })).toBe(false);
  });

  it("maps scalars, enums, lists and custom scalars", () => {
    const properties = tool("query.search").inputSchema.properties as Record<string, Record<string, unknown>>;
    expect(properties.first).toMatchObject({ type: ["integer", "null"], default: 10 });
    expect(properties.kinds).toEqual({ type: ["array", "null"], items: { enum: ["BUG", "FEATURE"] } });
    expect(properties.filter).toEqual({ anyOf: [{ $ref: "#/$defs/IssueFilter" }, { type: "null" }] });
    const count = tool("query.issueCount").inputSchema;
    expect(count.required).toEqual(["labels"]);
    expect((count.properties as Record<string, unknown>).since).toEqual({ description: "DateTime: An ISO-8601 date and time." });
    expect((count.properties as Record<string, unknown>).labels).toEqual({ type: "array", items: { type: ["string", "null"] } });
    expect(accepts("query.search", { query: "bug", kinds: ["BUG"], first: 5 })).toBe(true);
    expect(accepts("query.search", { query: "bug", kinds: ["NOPE"] })).toBe(false);
    expect(accepts("query.search", { query: "bug", first: 1.5 })).toBe(false);
  });

  it("puts reachable input objects in $defs, recursion included, and nothing else", () => {
    const search = tool("query.search").inputSchema;
    expect(Object.keys(search.$defs as object)).toEqual(["IssueFilter"]);
    expect((search.$defs as Record<string, unknown>).IssueFilter).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: {
        any: { type: ["array", "null"], items: { $ref: "#/$defs/IssueFilter" } },
        not: { anyOf: [{ $ref: "#/$defs/IssueFilter" }, { type: "null" }] },
        label: { type: ["string", "null"], default: "triage" },
      },
    });
    expect(Object.keys(tool("mutation.createIssue").inputSchema.$defs as object).sort()).toEqual(["CreateIssueInput", "IssueFilter"]);
    expect(accepts("query.search", { query: "x", filter: { any: [{ not: { kinds: ["BUG"], any: [] } }] } })).toBe(true);
    expect(accepts("query.search", { query: "x", filter: { any: [{ not: { kinds: ["NOPE"] } }] } })).toBe(false);
    expect(accepts("mutation.createIssue", { input: { repositoryId: "R1", title: "Bug" } })).toBe(true);
    expect(accepts("mutation.createIssue", { input: { repositoryId: "R1" } })).toBe(false);
  });

  it("offers select only for fields whose value has fields", () => {
    for (const name of ["query.repository", "query.search", "query.node", "query.item", "query.opaque", "mutation.createIssue"]) {
      expect((tool(name).inputSchema.properties as object), name).toHaveProperty("select");
    }
    for (const name of ["query.issueCount", "mutation.deleteIssue"]) {
      expect((tool(name).inputSchema.properties as object), name).not.toHaveProperty("select");
    }
  });
});

describe("importGraphql default selections", () => {
  it.each([
    [
      "an object: identifying scalars first, objects one level down with their scalars, no deprecated, connection or required-argument fields",
      "query.repository",
      "{ id name stars score private kind createdAt state owner { id login } parent { id name stars score private kind createdAt state } topics { name } }",
    ],
    ["a connection: its counts, nodes and pageInfo, not edges", "query.search", "{ totalCount nodes { id title number state } pageInfo { hasNextPage endCursor } }"],
    ["an interface: __typename and its own fields", "query.node", "{ __typename id }"],
    [
      "a union: each member's scalars, skipping a key another member gives another type",
      "query.item",
      "{ __typename ... on Issue { id title number state } ... on Repository { id name stars score private kind createdAt } }",
    ],
    ["a type with nothing selectable: __typename", "query.opaque", "{ __typename }"],
    ["a mutation payload", "mutation.createIssue", "{ clientMutationId issue { id title number state } }"],
  ])("selects %s", (_case, name, expected) => {
    expect(selectionOf(name)).toBe(normalise(expected));
  });

  it("selects nothing under a scalar field", () => {
    expect(selectionOf("query.issueCount")).toBeUndefined();
    expect(tool("mutation.deleteIssue").invocation.document).toBe("mutation ($id: ID!) {\n  deleteIssue(id: $id)\n}");
  });

  it("describes the default selection's result shape", () => {
    expect(tool("query.issueCount").outputSchema).toEqual({ type: "integer" });
    expect(tool("query.repository").outputSchema).toMatchObject({
      type: ["object", "null"],
      properties: {
        id: { type: "string" },
        score: { type: ["number", "null"] },
        kind: { enum: ["BUG", "FEATURE", null] },
        owner: { type: "object", properties: { login: { type: "string" } }, required: ["id", "login"] },
        topics: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
      },
    });
    const item = tool("query.item").outputSchema as { properties: Record<string, unknown>; required: string[] };
    expect(item.required).toEqual(["__typename"]);
    expect(Object.keys(item.properties)).toEqual(expect.arrayContaining(["__typename", "title", "state", "stars"]));
  });
});
