/**
 * Keeps each tool small enough to store and to hand to an agent. Input object graphs of large
 * schemas can reach far, so a tool over the limit is degraded step by step, least useful detail
 * first. It does not shorten names or descriptions, which are already bounded.
 */
import type { GraphqlTool } from "./tool";

/** A tool serialised as JSON stays under this many bytes. */
export const MAX_TOOL_BYTES = 100_000;

/** `tool`, or a lighter copy of it that fits `MAX_TOOL_BYTES`. */
export function fitToolSize(tool: GraphqlTool): GraphqlTool {
  if (fits(tool)) return tool;
  // 1. The output schema only informs the agent; calls work without it.
  const withoutOutput: GraphqlTool = { ...tool, outputSchema: null };
  if (fits(withoutOutput)) return withoutOutput;
  // 2. Input objects become `{}` ("anything"): refs still resolve and the arguments are still
  //    checked by name; the server checks the deep shapes.
  const defs = withoutOutput.inputSchema.$defs;
  if (typeof defs !== "object" || defs === null) return withoutOutput;
  const shallowDefs = Object.fromEntries(Object.keys(defs).map((name) => [name, {}]));
  return { ...withoutOutput, inputSchema: { ...withoutOutput.inputSchema, $defs: shallowDefs } };
}

function fits(tool: GraphqlTool): boolean {
  return new TextEncoder().encode(JSON.stringify(tool)).length <= MAX_TOOL_BYTES;
}
