/**
 * What an MCP import produces: one Executor tool per upstream MCP tool, converted from a
 * `tools/list` answer. The upstream is not trusted, so names are made into identifiers,
 * descriptions are cleaned and cut, and a tool runs without approval only when it declares
 * itself read-only. Pure: listing (and paging) is client.ts's job, storing is the caller's.
 */
import type { Tool as UpstreamTool } from "@modelcontextprotocol/sdk/types.js";
import type { SourceTool } from "../../catalog";
import { plainText } from "./plain-text";
import { nameTools } from "./tool-names";

/** How to call the tool upstream. */
export interface McpToolInvocation {
  /** The upstream's original tool name, sent as `tools/call`'s `name`. */
  toolName: string;
}

/**
 * One upstream MCP tool as an Executor tool: its name made an identifier segment, its
 * description cleaned to one line, its schemas as given; `allow` only for a tool that declares
 * `readOnlyHint: true` (and not `destructiveHint: true`).
 */
export type McpTool = SourceTool<McpToolInvocation>;

/** Cap on a description, in characters. */
export const MAX_DESCRIPTION_CHARS = 400;

/** Converts a full, already paged tool list; the output order follows the input. */
export function convertTools(upstream: UpstreamTool[]): McpTool[] {
  // A server listing one name twice has one tool under it: the first definition is kept.
  const seen = new Set<string>();
  const tools = upstream.filter((tool) => !seen.has(tool.name) && seen.add(tool.name));
  const names = nameTools(tools.map((tool) => tool.name));
  return tools.map((tool, index) => ({
    name: names[index],
    description: describe(tool),
    inputSchema: isObject(tool.inputSchema) ? tool.inputSchema : { type: "object" },
    outputSchema: isObject(tool.outputSchema) ? tool.outputSchema : null,
    defaultPolicy: policyOf(tool),
    invocation: { toolName: tool.name },
  }));
}

// --- private ---

/**
 * The MCP spec's annotation defaults are readOnlyHint false and destructiveHint true, so a
 * tool that says nothing may change or delete things: it waits for approval. The hints are
 * the upstream's own claims, so they can only ever relax the policy as far as `allow` for a
 * tool that claims to read only; a contradictory claim (read-only yet destructive) is
 * treated as destructive.
 */
function policyOf(tool: UpstreamTool): "allow" | "approve" {
  const hints = tool.annotations;
  return hints?.readOnlyHint === true && hints.destructiveHint !== true ? "allow" : "approve";
}

function describe(tool: UpstreamTool): string {
  const description = plainText(tool.description, MAX_DESCRIPTION_CHARS);
  if (description !== "") return description;
  return plainText(tool.title ?? tool.annotations?.title, MAX_DESCRIPTION_CHARS);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
