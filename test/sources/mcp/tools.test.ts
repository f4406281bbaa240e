/** convertTools: policies from annotations, cleaned descriptions, schemas as given. */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { convertTools, MAX_DESCRIPTION_CHARS } from "../../../worker/sources/mcp/tools";

const tool = (fields: Partial<Tool>): Tool => ({ name: "t", inputSchema: { type: "object" }, ...fields });

describe("convertTools", () => {
  it.each([
    [undefined, "approve"],
    [{}, "approve"],
    [{ readOnlyHint: true }, "allow"],
    [{ readOnlyHint: true, destructiveHint: false }, "allow"],
    [{ readOnlyHint: true, destructiveHint: true }, "approve"],
    [{ readOnlyHint: false, destructiveHint: false }, "approve"],
    [{ destructiveHint: true }, "approve"],
    [{ idempotentHint: true, openWorldHint: false }, "approve"],
  ])("annotations %j → %s", (annotations, policy) => {
    expect(convertTools([tool({ annotations })])[0].defaultPolicy).toBe(policy);
  });

  it("cleans a description to one plain line without control or invisible characters", () => {
    const [converted] = convertTools([tool({ description: " Reads\u0000 files.\r\n\u202EReversed\u200B\u2066 text\u001b[2J " })]);
    expect(converted.description).toBe("Reads files. Reversed text [2J");
  });

  it("cuts a long description near the cap", () => {
    const [converted] = convertTools([tool({ description: "word ".repeat(300) })]);
    expect(converted.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS + 1);
    expect(converted.description.endsWith("…")).toBe(true);
  });

  it("falls back to the title when there is no description", () => {
    expect(convertTools([tool({ title: "Title" })])[0].description).toBe("Title");
    expect(convertTools([tool({ annotations: { title: "Annotated" } })])[0].description).toBe("Annotated");
    expect(convertTools([tool({})])[0].description).toBe("");
  });

  it("keeps the schemas as given, the original name for the call, and one tool per upstream name", () => {
    const inputSchema = { type: "object" as const, properties: { q: { type: "string" } }, required: ["q"] };
    const outputSchema = { type: "object" as const, properties: { n: { type: "number" } } };
    const converted = convertTools([
      tool({ name: "web-search", inputSchema, outputSchema }),
      tool({ name: "web-search", description: "a second definition" }),
    ]);
    expect(converted).toEqual([
      {
        name: "webSearch",
        description: "",
        inputSchema,
        outputSchema,
        defaultPolicy: "approve",
        invocation: { toolName: "web-search" },
      },
    ]);
    expect(convertTools([tool({ outputSchema: undefined })])[0].outputSchema).toBeNull();
  });
});
