/** row-size.ts: a tool too big for one D1 row loses its output schema first, then its deep schemas. */
import { describe, expect, it } from "vitest";
import { importOpenApi } from "../../../worker/sources/openapi";
import { MAX_TOOL_ROW_BYTES } from "../../../worker/sources/openapi/row-size";

/** About 1.2 MB once converted: 5,000 properties whose descriptions are cut to 200 characters. */
const HUGE = {
  type: "object",
  properties: Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`field_${index}`, { type: "string", description: "d".repeat(300) }])),
};

function spec(body: unknown, output: unknown) {
  return {
    openapi: "3.0.3",
    info: { title: "Huge", version: "1" },
    paths: {
      "/things": {
        post: {
          operationId: "create",
          parameters: [{ name: "q", in: "query", schema: { type: "string" } }],
          requestBody: { content: { "application/json": { schema: body } } },
          responses: { "200": { description: "ok", content: { "application/json": { schema: output } } } },
        },
      },
    },
    components: { schemas: { Huge: HUGE } },
  };
}

const rowBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe("fitting a tool into a row", () => {
  it("drops a huge output schema and keeps the input", () => {
    const [tool] = importOpenApi(spec({ type: "object" }, { $ref: "#/components/schemas/Huge" })).tools;
    expect(tool.outputSchema).toBeNull();
    expect(tool.inputSchema.properties).toEqual({ q: { type: "string" }, body: { type: "object" } });
    expect(rowBytes(tool)).toBeLessThanOrEqual(MAX_TOOL_ROW_BYTES);
  });

  it("then replaces huge $defs with `{}`, keeping every ref resolvable", () => {
    const [tool] = importOpenApi(spec({ $ref: "#/components/schemas/Huge" }, { type: "string" })).tools;
    expect(tool.outputSchema).toBeNull();
    expect(tool.inputSchema).toEqual({
      type: "object",
      properties: { q: { type: "string" }, body: { $ref: "#/$defs/Huge" } },
      additionalProperties: false,
      $defs: { Huge: {} },
    });
  });

  it("finally keeps only the property names of a huge inline input", () => {
    const [tool] = importOpenApi(spec(HUGE, { type: "string" })).tools;
    expect(tool.inputSchema).toEqual({ type: "object", properties: { q: {}, body: {} }, additionalProperties: false });
    expect(rowBytes(tool)).toBeLessThanOrEqual(MAX_TOOL_ROW_BYTES);
  });
});
