/**
 * import-graphql.ts against GitHub's real GraphQL schema (@octokit/graphql-schema, ~270 root
 * fields, 5 MB): every root field becomes a tool whose document validates against the schema
 * and whose input schema the Worker's validator compiles. Speed is measured outside the suite.
 */
import { Validator } from "@cfworker/json-schema";
import { schema as octokitSchema } from "@octokit/graphql-schema";
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOperation, importGraphql, type GraphqlImport, type GraphqlTool } from "../../../worker/sources/graphql";

const MAX_TOOL_BYTES = 100_000;
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

let introspection: IntrospectionQuery;
let schema: GraphQLSchema;
let github: GraphqlImport;

beforeAll(() => {
  introspection = octokitSchema.json as IntrospectionQuery;
  schema = buildClientSchema(introspection);
  github = importGraphql(introspection);
});

function tool(name: string): GraphqlTool {
  const found = github.tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

describe("GitHub's GraphQL schema", () => {
  it("makes a tool of every query and mutation field", () => {
    const queries = Object.keys(schema.getQueryType()?.getFields() ?? {}).length;
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {}).length;
    expect(queries + mutations).toBeGreaterThan(200);
    expect(github.queryCount).toBe(queries);
    expect(github.mutationCount).toBe(mutations);
    expect(github.tools).toHaveLength(queries + mutations);
    expect(new Set(github.tools.map((candidate) => candidate.name)).size).toBe(github.tools.length);
    for (const candidate of github.tools) expect(candidate.name.split(".").every((segment) => SEGMENT.test(segment)), candidate.name).toBe(true);
  });

  it("builds a default document for every tool that validates against the schema", () => {
    const invalid = github.tools
      .map((candidate) => [candidate.name, validate(schema, parse(candidate.invocation.document)).map((error) => error.message)] as const)
      .filter(([, errors]) => errors.length > 0);
    expect(invalid).toEqual([]);
  });

  it("gives every tool an input schema the validator compiles, and keeps each tool under 100 KB", () => {
    for (const candidate of github.tools) {
      expect(() => new Validator(candidate.inputSchema, "2020-12"), candidate.name).not.toThrow();
      expect(new TextEncoder().encode(JSON.stringify(candidate)).length, candidate.name).toBeLessThan(MAX_TOOL_BYTES);
    }
  });

  it("requires owner and name for query.repository and validates its calls", () => {
    const repository = tool("query.repository");
    expect(repository.inputSchema.required).toEqual(["owner", "name"]);
    expect(repository.defaultPolicy).toBe("allow");
    const validator = new Validator(repository.inputSchema, "2020-12");
    expect(validator.validate({ owner: "octokit", name: "graphql-schema" }).valid).toBe(true);
    expect(validator.validate({ owner: "octokit" }).valid).toBe(false);
    const { query, variables } = buildOperation(repository.invocation, {
      owner: "octokit",
      name: "graphql-schema",
      select: "{ nameWithOwner stargazerCount issues(first: 5, states: OPEN) { nodes { number title author { login } } } }",
    });
    expect(validate(schema, parse(query))).toEqual([]);
    expect(variables).toEqual({ owner: "octokit", name: "graphql-schema" });
  });

  it("makes mutation.addComment wait for approval and take a recursive-safe input", () => {
    const addComment = tool("mutation.addComment");
    expect(addComment.defaultPolicy).toBe("approve");
    expect(addComment.inputSchema.required).toEqual(["input"]);
    const validator = new Validator(addComment.inputSchema, "2020-12");
    expect(validator.validate({ input: { subjectId: "I_1", body: "Thanks!" } }).valid).toBe(true);
    expect(validator.validate({ input: { subjectId: "I_1" } }).valid).toBe(false);
    const { query } = buildOperation(addComment.invocation, { input: { subjectId: "I_1", body: "Thanks!" }, select: "{ commentEdge { node { url } } }" });
    expect(validate(schema, parse(query))).toEqual([]);
  });

  it("pages connections without asking nested connections for unbounded pages", () => {
    const document = tool("query.search").invocation.document;
    expect(document).toContain("pageInfo {");
    expect(document).toContain("nodes {");
    expect(document).not.toContain("edges {");
  });
});
