/**
 * The size limit of an OpenAPI tool: a tool is one D1 row, and a D1 row may hold at most
 * 1 MB. A few operations of very large specs (a response embedding half the API's schemas)
 * would exceed that; sources/tool-size.ts degrades them.
 */
import { fitToolSize } from "../tool-size";
import type { OpenApiTool } from "./tool";

/** A tool serialised as JSON must stay under this, leaving headroom below D1's 1 MB row limit for the other columns. */
export const MAX_TOOL_ROW_BYTES = 900_000;

/** `tool`, or a lighter copy of it that fits `MAX_TOOL_ROW_BYTES`. */
export function fitToolRow(tool: OpenApiTool): OpenApiTool {
  return fitToolSize(tool, MAX_TOOL_ROW_BYTES);
}
