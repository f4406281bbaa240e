/**
 * json-schema.ts, through importOpenApi: recursive schemas stay refs into `$defs` and the
 * result is valid, self-contained JSON Schema 2020-12 (checked with the validator the Worker
 * uses); OpenAPI 3.0 keywords are translated; external and circular input does not break it.
 */
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { importOpenApi, parseSpecText, type OpenApiTool } from "../../../worker/sources/openapi";

/** A one-operation spec whose request body has `bodySchema`, with `schemas` as components. */
function specWithBody(bodySchema: unknown, schemas: Record<string, unknown> = {}, openapi = "3.1.0") {
  return {
    openapi,
    info: { title: "Schemas", version: "1" },
    paths: {
      "/things": {
        post: {
          operationId: "create",
          requestBody: { required: true, content: { "application/json": { schema: bodySchema } } },
          responses: { "200": { description: "ok", content: { "application/json": { schema: bodySchema } } } },
        },
      },
    },
    components: { schemas },
  };
}

function onlyTool(document: unknown): OpenApiTool {
  const { tools } = importOpenApi(document);
  expect(tools).toHaveLength(1);
  return tools[0];
}

function bodyOf(tool: OpenApiTool): unknown {
  return (tool.inputSchema.properties as Record<string, unknown>).body;
}

function validate(schema: Record<string, unknown>, instance: unknown): boolean {
  return new Validator(structuredClone(schema) as never, "2020-12", false).validate(instance).valid;
}

describe("recursive schemas (OpenAPI 3.1)", () => {
  const recursive = specWithBody(
    { $ref: "#/components/schemas/Tree" },
    {
      Tree: {
        type: "object",
        required: ["root"],
        properties: { root: { $ref: "#/components/schemas/Node" }, forest: { $ref: "#/components/schemas/Forest" } },
      },
      Node: {
        type: "object",
        required: ["name"],
        properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } },
      },
      Forest: { type: "object", properties: { trees: { type: "array", items: { $ref: "#/components/schemas/Grove" } } } },
      Grove: { type: ["object", "null"], properties: { forest: { $ref: "#/components/schemas/Forest" }, size: { type: "integer" } } },
      Unused: { type: "string" },
    },
  );
  const tool = onlyTool(recursive);

  it("keeps refs as refs and ships every reachable schema once in $defs", () => {
    expect(bodyOf(tool)).toEqual({ $ref: "#/$defs/Tree" });
    const defs = tool.inputSchema.$defs as Record<string, unknown>;
    expect(Object.keys(defs)).toEqual(["Forest", "Grove", "Node", "Tree"]);
    expect(defs.Node).toEqual({
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } },
    });
    expect(defs.Grove).toMatchObject({ properties: { forest: { $ref: "#/$defs/Forest" } } });
    expect(tool.outputSchema).toMatchObject({ $ref: "#/$defs/Tree", $defs: { Node: defs.Node } });
  });

  it("produces schemas the 2020-12 validator accepts and applies at every depth", () => {
    const valid = {
      body: {
        root: { name: "a", children: [{ name: "b", children: [{ name: "c", children: [] }] }] },
        forest: { trees: [null, { size: 2, forest: { trees: [{ size: 3 }] } }] },
      },
    };
    expect(validate(tool.inputSchema, valid)).toBe(true);
    expect(validate(tool.inputSchema, { body: { root: { name: "a", children: [{ name: "b", children: [{ children: [] }] }] } } })).toBe(false);
    expect(validate(tool.inputSchema, { body: { root: { name: "a" }, forest: { trees: [{ forest: { trees: [{ size: "big" }] } }] } } })).toBe(false);
    expect(validate(tool.inputSchema, { body: valid.body, extra: 1 })).toBe(false);
    expect(validate(tool.outputSchema!, valid.body)).toBe(true);
  });
});

describe("OpenAPI 3.0 keywords", () => {
  it.each([
    ["nullable with a type", { type: "string", nullable: true }, { type: ["string", "null"] }],
    ["nullable with an enum", { type: "string", enum: ["a", "b"], nullable: true }, { type: ["string", "null"], enum: ["a", "b", null] }],
    [
      "nullable beside a ref",
      { allOf: [{ $ref: "#/components/schemas/Pet" }], nullable: true, description: "The pet" },
      { description: "The pet", anyOf: [{ allOf: [{ $ref: "#/$defs/Pet" }] }, { type: "null" }] },
    ],
    ["exclusive bounds as booleans", { type: "number", minimum: 1, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false }, { type: "number", exclusiveMinimum: 1, maximum: 9 }],
    [
      "noise dropped, long descriptions cut",
      { type: "object", title: "T", example: { a: 1 }, xml: { name: "t" }, externalDocs: { url: "x" }, discriminator: { propertyName: "k" }, "x-internal": true, description: `${"word ".repeat(60)}end` },
      { type: "object", description: `${"word ".repeat(39)}word…` },
    ],
    ["an external ref", { type: "object", properties: { a: { $ref: "other.yaml#/Pet" }, b: { $ref: "#/components/schemas/Missing" } } }, { type: "object", properties: { a: {}, b: {} } }],
    ["a pattern the validator cannot compile", { type: "string", pattern: "^[\\w-\\.]+$" }, { type: "string" }],
  ])("translates %s", (_case, schema, expected) => {
    const tool = onlyTool(specWithBody(schema, { Pet: { type: "object" } }, "3.0.3"));
    expect(bodyOf(tool)).toEqual(expected);
  });

  it("accepts null where the 3.0 spec says nullable", () => {
    const tool = onlyTool(specWithBody({ type: "object", properties: { tag: { type: "string", nullable: true } } }, {}, "3.0.3"));
    expect(validate(tool.inputSchema, { body: { tag: null } })).toBe(true);
    expect(validate(tool.inputSchema, { body: { tag: 1 } })).toBe(false);
  });

  it("turns a ref into part of a schema into a def of its own", () => {
    const tool = onlyTool(specWithBody({ $ref: "#/components/schemas/Pet/properties/tags" }, { Pet: { properties: { tags: { type: "array", items: { type: "string" } } } } }));
    expect(bodyOf(tool)).toEqual({ $ref: "#/$defs/Pet_properties_tags" });
    expect(tool.inputSchema.$defs).toEqual({ Pet_properties_tags: { type: "array", items: { type: "string" } } });
  });

  it("sanitises def names", () => {
    const tool = onlyTool(specWithBody({ $ref: "#/components/schemas/a%20b~1c" }, { "a b/c": { type: "string" } }));
    expect(bodyOf(tool)).toEqual({ $ref: "#/$defs/a_b_c" });
    expect(validate(tool.inputSchema, { body: "x" })).toBe(true);
  });

  it("survives a circular YAML document", () => {
    const document = parseSpecText(`
openapi: 3.0.0
info: { title: Loop, version: "1" }
paths:
  /loop:
    post:
      requestBody:
        content:
          application/json:
            schema: &loop
              type: object
              properties:
                self: *loop
                other: *loop
      responses: { "204": { description: none } }
`);
    const tool = onlyTool(document);
    expect(tool.name).toBe("postLoop");
    expect(bodyOf(tool)).toEqual({ type: "object", properties: { self: {}, other: {} } });
  });
});
