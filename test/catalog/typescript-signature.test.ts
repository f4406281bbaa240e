/**
 * typescript-signature.ts: JSON Schema to compact TypeScript. Every rendered text is also
 * parsed with the `typescript` package to prove it is one valid type expression.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_LENGTH_CHARS,
  renderSignature,
  renderType,
  type JsonSchema,
} from "../../worker/catalog/typescript-signature";

/** Parses `type T = <text>;` and returns the alias's type node; fails on any syntax error. */
function parseType(text: string): ts.TypeNode {
  const source = `type T = ${text};`;
  const { diagnostics = [] } = ts.transpileModule(source, { reportDiagnostics: true });
  expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), source).toEqual([]);
  const file = ts.createSourceFile("t.ts", source, ts.ScriptTarget.Latest, true);
  expect(file.statements, source).toHaveLength(1);
  const [alias] = file.statements;
  if (!ts.isTypeAliasDeclaration(alias)) throw new Error(`not a type alias: ${source}`);
  return alias.type;
}

function expectFunctionType(signature: string): ts.FunctionTypeNode {
  const node = parseType(signature);
  if (!ts.isFunctionTypeNode(node)) throw new Error(`not a function type: ${signature}`);
  return node;
}

/** The members of the `args` type literal, as the TypeScript parser sees them. */
function argsMembers(signature: string): string[] {
  const [args] = expectFunctionType(signature).parameters;
  const type = args.type;
  if (!type || !ts.isTypeLiteralNode(type)) throw new Error(`args is not a type literal: ${signature}`);
  return type.members.map((member) => member.name?.getText(member.getSourceFile()) ?? "[index]");
}

/** `{ a: { a: { ... string } } }`, `levels` objects deep. */
function nested(levels: number): JsonSchema {
  let schema: JsonSchema = { type: "string" };
  for (let i = 0; i < levels; i++) schema = { type: "object", properties: { a: schema } };
  return schema;
}

const NODE_TREE: JsonSchema = {
  $ref: "#/$defs/Node",
  $defs: {
    Node: {
      type: "object",
      required: ["value"],
      properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } },
    },
  },
};

const MUTUAL: JsonSchema = {
  $ref: "#/definitions/Author",
  definitions: {
    Author: { type: "object", properties: { name: { type: "string" }, books: { type: "array", items: { $ref: "#/definitions/Book" } } } },
    Book: { type: "object", properties: { title: { type: "string" }, author: { $ref: "#/definitions/Author" } } },
  },
};

const typeCases: Array<[string, JsonSchema | undefined, string]> = [
  // primitives and the trivial schemas
  ["string", { type: "string" }, "string"],
  ["binary string", { type: "string", format: "binary" }, "string"],
  ["number", { type: "number" }, "number"],
  ["integer", { type: "integer" }, "number"],
  ["boolean", { type: "boolean" }, "boolean"],
  ["null", { type: "null" }, "null"],
  ["missing schema", undefined, "unknown"],
  ["empty schema", {}, "unknown"],
  ["true", true, "unknown"],
  ["false", false, "never"],
  ["unknown type name", { type: "file" }, "unknown"],
  // arrays and tuples
  ["array of strings", { type: "array", items: { type: "string" } }, "string[]"],
  ["array without items", { type: "array" }, "unknown[]"],
  ["array of a union", { type: "array", items: { type: ["string", "number"] } }, "(string | number)[]"],
  ["array of arrays", { type: "array", items: { type: "array", items: { type: "boolean" } } }, "boolean[][]"],
  ["items implies array", { items: { type: "string" } }, "string[]"],
  ["prefixItems tuple", { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] }, "[string, number]"],
  [
    "prefixItems with rest",
    { type: "array", prefixItems: [{ type: "string" }], items: { type: "number" } },
    "[string, ...number[]]",
  ],
  [
    "prefixItems closed",
    { type: "array", prefixItems: [{ type: "string" }], items: false },
    "[string]",
  ],
  ["array-form items tuple", { type: "array", items: [{ type: "string" }, { type: "integer" }] }, "[string, number]"],
  [
    "array-form items with additionalItems",
    { type: "array", items: [{ type: "string" }], additionalItems: { type: "boolean" } },
    "[string, ...boolean[]]",
  ],
  // objects
  [
    "object with required and optional",
    { type: "object", required: ["a"], properties: { a: { type: "string" }, b: { type: "integer" } } },
    "{ a: string; b?: number }",
  ],
  ["properties imply object", { properties: { a: { type: "boolean" } } }, "{ a?: boolean }"],
  ["object without properties", { type: "object" }, "Record<string, unknown>"],
  ["additionalProperties true", { type: "object", additionalProperties: true }, "Record<string, unknown>"],
  ["additionalProperties false", { type: "object", additionalProperties: false }, "Record<string, never>"],
  ["additionalProperties schema", { type: "object", additionalProperties: { type: "number" } }, "Record<string, number>"],
  [
    "properties plus additionalProperties schema",
    { type: "object", required: ["a"], properties: { a: { type: "number" } }, additionalProperties: { type: "number" } },
    "{ a: number; [key: string]: number }",
  ],
  [
    "properties plus an empty additionalProperties",
    { type: "object", properties: { a: { type: "string" } }, additionalProperties: {} },
    "{ a?: string }",
  ],
  [
    "properties plus additionalProperties false",
    { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    "{ a?: string }",
  ],
  [
    "non-identifier keys are quoted",
    {
      type: "object",
      required: ["x-api-key"],
      properties: { "x-api-key": { type: "string" }, "2fa": {}, "a b": {}, $ok: {}, _ok1: {}, "": {}, 'q"uote': {} },
    },
    '{ "x-api-key": string; "2fa"?: unknown; "a b"?: unknown; $ok?: unknown; _ok1?: unknown; ""?: unknown; "q\\"uote"?: unknown }',
  ],
  ["property order follows the schema", { properties: { z: {}, a: {}, m: {} } }, "{ z?: unknown; a?: unknown; m?: unknown }"],
  // nullability
  ["type array", { type: ["string", "null"] }, "string | null"],
  [
    "type array with object",
    { type: ["object", "null"], properties: { a: { type: "string" } } },
    "{ a?: string } | null",
  ],
  ["OpenAPI nullable", { type: "string", nullable: true }, "string | null"],
  ["nullable false", { type: "string", nullable: false }, "string"],
  // literals
  ["enum", { type: "string", enum: ["open", "closed"] }, '"open" | "closed"'],
  ["mixed enum", { enum: ["a", 1, true, null] }, '"a" | 1 | true | null'],
  ["nullable enum", { type: "string", enum: ["a"], nullable: true }, '"a" | null'],
  ["enum with quotes", { enum: ['say "hi"', "*/"] }, '"say \\"hi\\"" | "*/"'],
  ["empty enum", { enum: [] }, "never"],
  ["const string", { const: "issue" }, '"issue"'],
  ["const number", { const: -1.5 }, "-1.5"],
  ["const object", { const: { a: [1, "b"] } }, '{"a":[1,"b"]}'],
  // combinators
  ["oneOf", { oneOf: [{ type: "string" }, { type: "integer" }] }, "string | number"],
  [
    "anyOf of objects",
    { anyOf: [{ properties: { a: { type: "string" } } }, { properties: { b: { type: "string" } } }] },
    "{ a?: string } | { b?: string }",
  ],
  ["union with unknown is unknown", { anyOf: [{ type: "string" }, {}] }, "unknown"],
  ["duplicate members collapse", { oneOf: [{ type: "string" }, { type: "string" }] }, "string"],
  [
    "allOf",
    { allOf: [{ properties: { a: { type: "string" } } }, { properties: { b: { type: "number" } } }] },
    "{ a?: string } & { b?: number }",
  ],
  [
    "allOf with a union member",
    { allOf: [{ oneOf: [{ type: "string" }, { type: "number" }] }, { const: 1 }] },
    "(string | number) & 1",
  ],
  ["array of an intersection", { items: { allOf: [{ properties: { a: {} } }, { properties: { b: {} } }] } }, "({ a?: unknown } & { b?: unknown })[]"],
  [
    "type object beside oneOf adds nothing",
    { type: "object", oneOf: [{ properties: { a: { type: "string" } } }, { properties: { b: { type: "string" } } }] },
    "{ a?: string } | { b?: string }",
  ],
  [
    "nullable allOf",
    { allOf: [{ properties: { a: { type: "string" } } }], nullable: true },
    "{ a?: string } | null",
  ],
  ["oneOf with false member", { oneOf: [{ type: "string" }, false] }, "string"],
  // local refs
  [
    "$defs ref",
    { $ref: "#/$defs/Id", $defs: { Id: { type: "integer" } } },
    "number",
  ],
  [
    "definitions ref in a property",
    { properties: { id: { $ref: "#/definitions/Id" } }, definitions: { Id: { type: "string" } } },
    "{ id?: string }",
  ],
  [
    "components/schemas ref",
    { properties: { pet: { $ref: "#/components/schemas/Pet" } }, components: { schemas: { Pet: { enum: ["cat", "dog"] } } } },
    '{ pet?: "cat" | "dog" }',
  ],
  [
    "pointer escapes ~0 and ~1",
    { $ref: "#/$defs/a~1b~0c", $defs: { "a/b~c": { type: "boolean" } } },
    "boolean",
  ],
  ["percent-encoded pointer", { $ref: "#/$defs/a%20b", $defs: { "a b": { type: "null" } } }, "null"],
  ["nullable ref", { $ref: "#/$defs/S", nullable: true, $defs: { S: { type: "string" } } }, "string | null"],
  ["unresolvable ref", { $ref: "#/$defs/Missing" }, "unknown"],
  ["remote ref", { $ref: "https://example.com/schema.json#/Pet" }, "unknown"],
  ["anchor ref", { $ref: "#pet" }, "unknown"],
  ["ref into the prototype", { $ref: "#/constructor" }, "unknown"],
  ["ref to a false schema", { $ref: "#/$defs/No", $defs: { No: false } }, "never"],
  // cycles
  ["tree of nodes", NODE_TREE, "{ value: string; children?: Node[] }"],
  ["mutually recursive pair", MUTUAL, "{ name?: string; books?: { title?: string; author?: Author }[] }"],
  ["self ref to the root", { properties: { next: { $ref: "#" } } }, "{ next?: Root }"],
  [
    "recursive ref names are sanitised",
    {
      $ref: "#/$defs/tree-node",
      $defs: {
        "tree-node": {
          properties: {
            self: { $ref: "#/$defs/tree-node" },
            other: { $ref: "#/$defs/1st" },
            keyword: { $ref: "#/$defs/string" },
          },
        },
        "1st": { properties: { back: { $ref: "#/$defs/1st" } } },
        string: { properties: { back: { $ref: "#/$defs/string" } } },
      },
    },
    "{ self?: tree_node; other?: { back?: _1st }; keyword?: { back?: string_ } }",
  ],
  // depth
  ["nesting within maxDepth", nested(3), "{ a?: { a?: { a?: string } } }"],
  [
    "nesting beyond the default maxDepth",
    nested(8),
    "{ a?: { a?: { a?: { a?: { a?: { a?: Record<string, unknown> } } } } } }",
  ],
];

describe("renderType", () => {
  it.each(typeCases)("%s", (_name, schema, expected) => {
    expect(renderType(schema)).toBe(expected);
  });

  it.each(typeCases)("%s parses as TypeScript", (_name, schema) => {
    parseType(renderType(schema));
  });

  it.each([
    [0, "Record<string, unknown>"],
    [1, "{ a?: Record<string, unknown> }"],
    [2, "{ a?: { a?: Record<string, unknown> } }"],
  ])("maxDepth %i collapses deeper objects", (maxDepth, expected) => {
    expect(renderType(nested(5), { maxDepth })).toBe(expected);
  });

  it("arrays of primitives stay typed at the depth limit", () => {
    const schema = { properties: { tags: { type: "array", items: { type: "string" } }, meta: { properties: { x: {} } } } };
    expect(renderType(schema, { maxDepth: 1 })).toBe("{ tags?: string[]; meta?: Record<string, unknown> }");
  });

  it("resolves refs against a separate root, such as an OpenAPI document", () => {
    const document = { openapi: "3.0.3", components: { schemas: { Pet: { type: "object", properties: { name: { type: "string" } } } } } };
    expect(renderType({ $ref: "#/components/schemas/Pet" }, { root: document })).toBe("{ name?: string }");
  });

  it("an in-memory cycle without refs does not hang", () => {
    const schema: { [key: string]: unknown } = { type: "array" };
    schema.items = schema;
    expect(renderType(schema)).toBe("unknown[]");
  });

  it("hostile nesting of non-object schemas stops without exhausting the stack", () => {
    let schema: JsonSchema = { type: "string" };
    for (let i = 0; i < 50_000; i++) schema = { allOf: [schema] };
    expect(renderType(schema)).toBe("unknown");
  });

  it("is deterministic", () => {
    expect(renderType(MUTUAL)).toBe(renderType(MUTUAL));
  });

  it.each([{ maxDepth: -1 }, { maxDepth: 1.5 }, { maxLength: 0 }])("rejects options %o", (options) => {
    expect(() => renderType({}, options)).toThrow(TypeError);
  });
});

const ISSUE_INPUT: JsonSchema = {
  type: "object",
  required: ["owner", "repo", "title"],
  properties: {
    owner: { type: "string" },
    repo: { type: "string" },
    title: { type: "string" },
    body: { type: "string" },
    labels: { type: "array", items: { type: "string" } },
  },
};
const ISSUE_OUTPUT: JsonSchema = {
  type: "object",
  required: ["id", "html_url"],
  properties: { id: { type: "integer" }, html_url: { type: "string" } },
};

describe("renderSignature", () => {
  it("renders the tool as a function type", () => {
    const signature = renderSignature("github.issues.create", ISSUE_INPUT, ISSUE_OUTPUT);
    expect(signature).toBe(
      "(args: { owner: string; repo: string; title: string; body?: string; labels?: string[] }) => Promise<{ id: number; html_url: string }>",
    );
    expectFunctionType(signature);
  });

  it.each<[string, JsonSchema | undefined, JsonSchema | undefined, string]>([
    ["no schemas", undefined, undefined, "(args: unknown) => Promise<unknown>"],
    ["open input", { type: "object" }, { type: "array", items: { type: "string" } }, "(args: Record<string, unknown>) => Promise<string[]>"],
    ["scalar input", { type: "string" }, { type: "null" }, "(args: string) => Promise<null>"],
    ["cyclic output", { type: "object", properties: { id: { type: "string" } } }, NODE_TREE, "(args: { id?: string }) => Promise<{ value: string; children?: Node[] }>"],
  ])("%s", (_name, input, output, expected) => {
    const signature = renderSignature("t", input, output);
    expect(signature).toBe(expected);
    expectFunctionType(signature);
  });

  it("each schema is the root of its own refs", () => {
    const output = { $ref: "#/$defs/Id", $defs: { Id: { type: "integer" } } };
    expect(renderSignature("t", MUTUAL, output)).toBe(
      "(args: { name?: string; books?: { title?: string; author?: Author }[] }) => Promise<number>",
    );
  });

  it("puts input descriptions in one-line comments and leaves the output without them", () => {
    const input = {
      type: "object",
      required: ["q"],
      properties: {
        q: { type: "string", description: "  Search   query.  " },
        filter: { type: "object", properties: { state: { type: "string", description: "open or closed" } } },
        blank: { type: "string", description: " \n " },
      },
    };
    const output = { type: "object", properties: { total: { type: "integer", description: "Total count" } } };
    const signature = renderSignature("search", input, output);
    expect(signature).toBe(
      "(args: { /** Search query. */ q: string; filter?: { /** open or closed */ state?: string }; blank?: string }) => Promise<{ total?: number }>",
    );
    expectFunctionType(signature);
  });

  it.each([
    ["comment terminator", "ends here */ owner: number; /* rest", "/** ends here *\\/ owner: number; /* rest */ "],
    ["terminator split by a newline", "a *\n/ b", "/** a * / b */ "],
    ["newlines and tabs", "line one\r\nline two\u2028three\tfour", "/** line one line two three four */ "],
    ["control characters", "a\u0000b\u0085c", "/** a b c */ "],
    ["doubled stars", "**/**/", "/** **\\/**\\/ */ "],
  ])("neutralises a hostile description: %s", (_name, description, comment) => {
    const input = { type: "object", properties: { owner: { type: "string", description } } };
    const signature = renderSignature("t", input, undefined);
    expect(signature).toBe(`(args: { ${comment}owner?: string }) => Promise<unknown>`);
    expect(argsMembers(signature)).toEqual(["owner"]);
  });

  it("trims a long description to one short line", () => {
    const description = `${"word ".repeat(40)}\n*/ type Evil = 1;`;
    const input = { type: "object", properties: { a: { description } } };
    const signature = renderSignature("t", input, undefined);
    const comment = /\/\*\* (.*?) \*\//.exec(signature)![1];
    expect(comment.length).toBeLessThanOrEqual(80);
    expect(comment.endsWith("…")).toBe(true);
    expect(argsMembers(signature)).toEqual(["a"]);
  });

  it("quotes non-identifier keys", () => {
    const input = { type: "object", required: ["x-api-key"], properties: { "x-api-key": { type: "string" }, "per page": { type: "integer" } } };
    const signature = renderSignature("t", input, undefined);
    expect(signature).toBe('(args: { "x-api-key": string; "per page"?: number }) => Promise<unknown>');
    expect(argsMembers(signature)).toEqual(['"x-api-key"', '"per page"']);
  });

  it("collapses deeper levels first to fit maxLength", () => {
    const wide = (levels: number): JsonSchema => {
      let schema: JsonSchema = { type: "string" };
      for (let i = 0; i < levels; i++) schema = { type: "object", properties: { alpha: schema, beta: schema, gamma: schema } };
      return schema;
    };
    const input = wide(5);
    const full = renderSignature("t", input, undefined, { maxLength: 100_000 });
    expect(full).not.toContain("Record<");
    // Depth 3 renders 1,052 characters, depth 4 over 3,000.
    const capped = renderSignature("t", input, undefined, { maxLength: 1_100 });
    expect(capped.length).toBe(1_052);
    expect(capped).toContain("{ alpha?: { alpha?: { alpha?: Record<string, unknown>");
    expectFunctionType(capped);
    const shallow = renderSignature("t", input, undefined, { maxLength: 150 });
    expect(shallow).toBe(
      "(args: { alpha?: Record<string, unknown>; beta?: Record<string, unknown>; gamma?: Record<string, unknown> }) => Promise<unknown>",
    );
  });

  it("drops descriptions, then collapses the arguments, when depth 1 still does not fit", () => {
    const properties = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`p${i}`, { type: "string", description: "a fairly long description" }]),
    );
    const input = { type: "object", properties };
    const noComments = renderSignature("t", input, undefined, { maxLength: 134 });
    expect(noComments).toBe(
      "(args: { p0?: string; p1?: string; p2?: string; p3?: string; p4?: string; p5?: string; p6?: string; p7?: string }) => Promise<unknown>",
    );
    expectFunctionType(noComments);
    const collapsed = renderSignature("t", input, undefined, { maxLength: 100 });
    expect(collapsed).toBe("(args: Record<string, unknown>) => Promise<unknown>");
    expectFunctionType(collapsed);
  });

  it("falls back to an opaque signature when nothing fits", () => {
    const input = { enum: Array.from({ length: 500 }, (_, i) => `value-${i}`) };
    expect(renderSignature("t", input, undefined, { maxLength: 200 })).toBe("(args: unknown) => Promise<unknown>");
  });

  // Speed is measured in scripts/bench, not asserted here; this checks the work stays bounded.
  it("stays small on schemas whose shared refs would expand exponentially", () => {
    const $defs: Record<string, JsonSchema> = { D12: { type: "string" } };
    for (let i = 11; i >= 0; i--) {
      const properties = Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((key) => [key, { $ref: `#/$defs/D${i + 1}` }]));
      $defs[`D${i}`] = { type: "object", properties };
    }
    const input = { $ref: "#/$defs/D0", $defs };
    const signature = renderSignature("t", input, input, { maxDepth: 20 });
    expect(signature.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH_CHARS);
    expectFunctionType(signature);
  });

  it("renders a large REST operation within the length cap", () => {
    const user = {
      type: "object",
      required: ["login", "id"],
      properties: Object.fromEntries([
        ["login", { type: "string", description: "The user's login." }],
        ["id", { type: "integer" }],
        ...Array.from({ length: 15 }, (_, i) => [`url_${i}`, { type: "string", format: "uri" }]),
      ]),
    };
    const repository = {
      type: "object",
      properties: Object.fromEntries([
        ["owner", { $ref: "#/components/schemas/simple-user" }],
        ["license", { type: "object", nullable: true, properties: { key: { type: "string" }, name: { type: "string" } } }],
        ...Array.from({ length: 60 }, (_, i) => [`field_${i}`, { type: i % 3 ? "string" : "boolean", description: `Field ${i}` }]),
      ]),
    };
    const components = { schemas: { "simple-user": user, repository } };
    const input = {
      type: "object",
      required: ["owner", "repo"],
      properties: {
        owner: { type: "string", description: "The account owner of the repository. The name is not case sensitive." },
        repo: { type: "string", description: "The name of the repository without the `.git` extension." },
        assignees: { type: "array", items: { type: "string" } },
        state: { type: "string", enum: ["open", "closed"] },
      },
    };
    const output = {
      type: "object",
      properties: {
        user: { $ref: "#/components/schemas/simple-user" },
        assignees: { type: "array", items: { $ref: "#/components/schemas/simple-user" } },
        repository: { $ref: "#/components/schemas/repository" },
        labels: { type: "array", items: { oneOf: [{ type: "string" }, { type: "object", properties: { name: { type: "string" } } }] } },
      },
      components,
    };
    const signature = renderSignature("github.issues.create", input, output);
    expect(signature.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH_CHARS);
    expectFunctionType(signature);
  });
});

describe("outputMaxDepth", () => {
  it("collapses the result type deeper than asked, leaving the arguments whole", () => {
    const nested = { type: "object", properties: { a: { type: "object", properties: { b: { type: "object", properties: { c: { type: "string" } } } } } } };
    const signature = renderSignature("t", nested, nested, { outputMaxDepth: 2 });
    expect(signature).toBe("(args: { a?: { b?: { c?: string } } }) => Promise<{ a?: { b?: Record<string, unknown> } }>");
    expectFunctionType(signature);
  });
});

describe("the parse check itself", () => {
  it.each(["{ a: string", "(args: { a: string }) =>", "string; type U = number"])("rejects %s", (text) => {
    expect(() => expectFunctionType(text)).toThrow();
  });
});
