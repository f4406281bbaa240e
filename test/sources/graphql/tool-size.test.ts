/** tool-size.ts: a tool over the size limit loses its output schema first, then its input objects' shapes. */
import { describe, expect, it } from "vitest";
import type { GraphqlTool } from "../../../worker/sources/graphql";
import { fitToolSize, MAX_TOOL_BYTES } from "../../../worker/sources/graphql/tool-size";

const BIG_TEXT = "x".repeat(MAX_TOOL_BYTES);

function sampleTool(extra: Partial<GraphqlTool>): GraphqlTool {
  return {
    name: "query.thing",
    description: "A thing.",
    inputSchema: { type: "object", properties: { input: { $ref: "#/$defs/ThingInput" } }, $defs: { ThingInput: { type: "object" } } },
    outputSchema: { type: "object" },
    defaultPolicy: "allow",
    invocation: { operation: "query", field: "thing", document: "query ($input: ThingInput) {\n  thing(input: $input)\n}", variables: { input: "ThingInput" } },
    ...extra,
  };
}

describe("fitToolSize", () => {
  it("keeps a small tool as it is", () => {
    const small = sampleTool({});
    expect(fitToolSize(small)).toBe(small);
  });

  it("drops a large output schema first", () => {
    const fitted = fitToolSize(sampleTool({ outputSchema: { type: "object", description: BIG_TEXT } }));
    expect(fitted.outputSchema).toBeNull();
    expect(fitted.inputSchema.$defs).toEqual({ ThingInput: { type: "object" } });
  });

  it("then empties the input objects' definitions, keeping their names", () => {
    const inputSchema = { type: "object", properties: { input: { $ref: "#/$defs/ThingInput" } }, $defs: { ThingInput: { type: "object", description: BIG_TEXT } } };
    const fitted = fitToolSize(sampleTool({ inputSchema }));
    expect(fitted.outputSchema).toBeNull();
    expect(fitted.inputSchema).toEqual({ ...inputSchema, $defs: { ThingInput: {} } });
    expect(new TextEncoder().encode(JSON.stringify(fitted)).length).toBeLessThanOrEqual(MAX_TOOL_BYTES);
  });
});
