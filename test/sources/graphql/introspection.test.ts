/** introspection.ts (through importGraphql): what counts as a usable introspection result. */
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { GraphqlSchemaError, importGraphql, INTROSPECTION_QUERY } from "../../../worker/sources/graphql";
import { fixtureIntrospection } from "./fixture-schema";

type Schema = { queryType: { name: string } | null; mutationType: { name: string } | null; types: { name: string; kind: string; fields?: unknown }[] };

/** The fixture's `__schema`, changed by `edit`. */
function editedSchema(edit: (schema: Schema) => void): { __schema: Schema } {
  const schema = structuredClone(fixtureIntrospection().data.__schema) as Schema;
  edit(schema);
  return { __schema: schema };
}

describe("INTROSPECTION_QUERY", () => {
  it("is one query operation asking for __schema", () => {
    const document = parse(INTROSPECTION_QUERY);
    expect(document.definitions.filter((definition) => definition.kind === "OperationDefinition")).toHaveLength(1);
    expect(INTROSPECTION_QUERY).toContain("__schema");
  });
});

describe("importGraphql introspection results", () => {
  it("accepts {data: {__schema}} and {__schema}", () => {
    const wrapped = fixtureIntrospection();
    expect(importGraphql(wrapped).tools).toHaveLength(9);
    expect(importGraphql(wrapped.data).tools).toHaveLength(9);
  });

  it("ignores errors beside a complete schema", () => {
    expect(importGraphql({ ...fixtureIntrospection(), errors: [{ message: "deprecated field" }] }).tools).toHaveLength(9);
  });

  it.each<[string, unknown, RegExp]>([
    ["null", null, /not a JSON object/],
    ["a string", "{}", /not a JSON object/],
    ["an array", [], /not a JSON object/],
    ["an empty object", {}, /no `__schema`/],
    ["data without __schema", { data: {} }, /no `__schema`/],
    ["a refusal", { data: null, errors: [{ message: "Introspection is disabled" }] }, /Introspection is disabled/],
    ["errors only", { errors: [{ message: "Unauthorized", path: ["__schema"] }] }, /Unauthorized \(at __schema\)/],
    ["__schema that is not an object", { __schema: "schema" }, /no `__schema`/],
    ["__schema without types", { __schema: { queryType: { name: "Query" } } }, /no `types`/],
    ["no query or mutation type", editedSchema((schema) => ((schema.queryType = null), (schema.mutationType = null))), /neither a query type nor a mutation type/],
    ["a query type that is not listed", editedSchema((schema) => (schema.types = schema.types.filter((type) => type.name !== "Query"))), /not a usable schema/],
    ["a referenced type that is not listed", editedSchema((schema) => (schema.types = schema.types.filter((type) => type.name !== "Repository"))), /not a usable schema/],
    ["an object type without fields", editedSchema((schema) => delete schema.types.find((type) => type.name === "Repository")?.fields), /not a usable schema/],
    [
      "a query type that is an input type",
      editedSchema((schema) => ((schema.queryType = { name: "IssueFilter" }), (schema.mutationType = null))),
      /not a usable schema/,
    ],
    [
      "no root fields besides __ ones",
      {
        __schema: {
          queryType: { name: "Query" },
          mutationType: null,
          subscriptionType: null,
          types: [
            {
              kind: "OBJECT",
              name: "Query",
              fields: [{ name: "__ping", args: [], type: { kind: "SCALAR", name: "String", ofType: null }, isDeprecated: false }],
              interfaces: [],
            },
            { kind: "SCALAR", name: "String" },
          ],
          directives: [],
        },
      },
      /no query or mutation fields/,
    ],
  ])("rejects %s", (_case, introspection, message) => {
    expect(() => importGraphql(introspection)).toThrow(GraphqlSchemaError);
    expect(() => importGraphql(introspection)).toThrow(message);
  });
});
