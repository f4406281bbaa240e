/**
 * Keeps a source's tool small enough to store (one D1 row) and to hand to an agent. A tool
 * over its source's limit is degraded step by step, least useful detail first; names and
 * descriptions are already bounded and never shortened here.
 */
import type { SourceTool } from "../catalog";

/** `tool`, or a lighter copy of it whose JSON fits in `maxBytes` (UTF-8). */
export function fitToolSize<T extends SourceTool<unknown>>(tool: T, maxBytes: number): T {
  if (fits(tool, maxBytes)) return tool;
  // 1. The output schema only informs the agent; calls work without it.
  const withoutOutput: T = { ...tool, outputSchema: null };
  if (fits(withoutOutput, maxBytes)) return withoutOutput;
  // 2. Referenced schemas become `{}` ("anything"): refs still resolve and the top level of
  //    the input is still checked; only the deep shapes go unvalidated (the upstream checks them).
  const defs = withoutOutput.inputSchema.$defs;
  const shallowDefs = typeof defs === "object" && defs !== null ? Object.fromEntries(Object.keys(defs).map((name) => [name, {}])) : undefined;
  const shallow: T = { ...withoutOutput, inputSchema: { ...withoutOutput.inputSchema, ...(shallowDefs ? { $defs: shallowDefs } : {}) } };
  if (fits(shallow, maxBytes)) return shallow;
  // 3. Only the property names and what is required are left.
  const properties = shallow.inputSchema.properties;
  const names = typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
  const { $defs: _defs, ...bare } = shallow.inputSchema;
  return { ...shallow, inputSchema: { ...bare, properties: Object.fromEntries(names.map((name) => [name, {}])) } };
}

function fits(tool: SourceTool<unknown>, maxBytes: number): boolean {
  const json = JSON.stringify(tool);
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so small tools skip the encoding.
  if (json.length * 3 <= maxBytes) return true;
  return new TextEncoder().encode(json).length <= maxBytes;
}
