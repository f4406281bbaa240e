/**
 * The size limit of a GraphQL tool: input object graphs of large schemas reach far, so each
 * tool is kept well under a D1 row and cheap to hand to an agent; sources/tool-size.ts
 * degrades a tool over the limit.
 */
import { fitToolSize as fitWithin } from "../tool-size";
import type { GraphqlTool } from "./tool";

/** A tool serialised as JSON stays under this many bytes. */
export const MAX_TOOL_BYTES = 100_000;

/** `tool`, or a lighter copy of it that fits `MAX_TOOL_BYTES`. */
export function fitToolSize(tool: GraphqlTool): GraphqlTool {
  return fitWithin(tool, MAX_TOOL_BYTES);
}
