/** discovery-schema.ts: Discovery's draft-3 flavoured schemas to what the OpenAPI schema converter reads. */
import { describe, expect, it } from "vitest";
import { rewriteSchema, rewriteSchemas, schemaPointer } from "../../../worker/sources/google/discovery-schema";

const NAMES = new Set(["Message", "a/b~c"]);

describe("rewriteSchema", () => {
  it.each([
    ["a bare $ref to a pointer", { $ref: "Message" }, { $ref: "#/schemas/Message" }],
    ["a $ref needing pointer escapes", { $ref: "a/b~c" }, { $ref: "#/schemas/a~1b~0c" }],
    ["a $ref to no schema to anything", { $ref: "Missing" }, {}],
    ["type any to no type", { type: "any", description: "x" }, { description: "x" }],
    ["int64 strings to string or integer", { type: "string", format: "int64" }, { type: ["string", "integer"], format: "int64" }],
    ["uint64 strings to string or integer", { type: "string", format: "uint64" }, { type: ["string", "integer"], format: "uint64" }],
    ["other strings unchanged", { type: "string", format: "byte" }, { type: "string", format: "byte" }],
    ["string bounds to numbers", { type: "integer", minimum: "1", maximum: "2500" }, { type: "integer", minimum: 1, maximum: 2500 }],
    ["unusable bounds dropped", { type: "integer", minimum: "lots" }, { type: "integer" }],
    ["boolean defaults typed", { type: "boolean", default: "false" }, { type: "boolean", default: false }],
    ["integer defaults typed", { type: "integer", default: "100" }, { type: "integer", default: 100 }],
    ["string defaults kept", { type: "string", default: "me" }, { type: "string", default: "me" }],
    ["draft-3 required on properties to a list", { type: "object", properties: { a: { type: "string", required: true }, b: { type: "string" } } }, { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, required: ["a"] }],
    [
      "Discovery-only keywords dropped",
      { id: "Message", type: "string", enum: ["A"], enumDescriptions: ["a"], annotations: { required: ["x"] }, location: "query", repeated: true, readOnly: true },
      { type: "string", enum: ["A"], readOnly: true },
    ],
    ["maps and arrays rewritten inside", { type: "object", additionalProperties: { $ref: "Message" }, properties: { list: { type: "array", items: { $ref: "Message" } } } }, { type: "object", additionalProperties: { $ref: "#/schemas/Message" }, properties: { list: { type: "array", items: { $ref: "#/schemas/Message" } } } }],
  ])("rewrites %s", (_case, schema, expected) => {
    expect(rewriteSchema(schema, NAMES)).toEqual(expected);
  });

  it("stops at a circular structure instead of looping", () => {
    const node: Record<string, unknown> = { type: "object", properties: {} };
    (node.properties as Record<string, unknown>).self = node;
    expect(rewriteSchema(node, NAMES)).toEqual({ type: "object", properties: { self: {} } });
  });
});

describe("rewriteSchemas", () => {
  it("rewrites every named schema, refs resolving among them", () => {
    expect(rewriteSchemas({ A: { id: "A", type: "object", properties: { b: { $ref: "B" } } }, B: { id: "B", type: "string" } })).toEqual({
      A: { type: "object", properties: { b: { $ref: schemaPointer("B") } } },
      B: { type: "string" },
    });
    expect(rewriteSchemas(undefined)).toEqual({});
  });
});
