/**
 * Keeps each tool small enough to store: a tool is one D1 row, and a D1 row may hold at most
 * 1 MB. A few operations of very large specs (a response embedding half the API's schemas)
 * would exceed that, so their schemas are degraded step by step, least useful detail first.
 * It does not shorten names or descriptions, which are already bounded.
 */
import type { OpenApiTool } from "./tool";

/** A tool serialised as JSON must stay under this, leaving headroom below D1's 1 MB row limit for the other columns. */
export const MAX_TOOL_ROW_BYTES = 900_000;

/** `tool`, or a lighter copy of it that fits `MAX_TOOL_ROW_BYTES`. */
export function fitToolRow(tool: OpenApiTool): OpenApiTool {
  if (fits(tool)) return tool;
  // 1. The output schema only informs the agent; calls work without it.
  const withoutOutput: OpenApiTool = { ...tool, outputSchema: null };
  if (fits(withoutOutput)) return withoutOutput;
  // 2. Referenced schemas become `{}` ("anything"): refs still resolve, the top level of the
  //    input is still checked, only the deep shapes go unvalidated.
  const defs = withoutOutput.inputSchema.$defs;
  const shallowDefs =
    typeof defs === "object" && defs !== null ? Object.fromEntries(Object.keys(defs).map((name) => [name, {}])) : undefined;
  const shallow: OpenApiTool = { ...withoutOutput, inputSchema: { ...withoutOutput.inputSchema, ...(shallowDefs ? { $defs: shallowDefs } : {}) } };
  if (fits(shallow)) return shallow;
  // 3. Only the property names and what is required are left.
  const properties = shallow.inputSchema.properties;
  const names = typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
  const { $defs: _defs, ...bare } = shallow.inputSchema;
  return { ...shallow, inputSchema: { ...bare, properties: Object.fromEntries(names.map((name) => [name, {}])) } };
}

function fits(tool: OpenApiTool): boolean {
  const json = JSON.stringify(tool);
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so short rows skip the encoding.
  if (json.length * 3 <= MAX_TOOL_ROW_BYTES) return true;
  return new TextEncoder().encode(json).length <= MAX_TOOL_ROW_BYTES;
}
