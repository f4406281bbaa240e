/**
 * The built-in `executor` integration: tools that let an agent read the catalog, the
 * integrations, the policies and its own recent executions, and change policies. Defined in
 * code, never stored. Policy writes are writes: they wait for approval by default.
 */
import type { Tool } from "./tool";

export const BUILTIN_INTEGRATION = "executor";

const pageInput = {
  limit: { type: "integer", minimum: 1, maximum: 100, description: "Page size (default 20)" },
  offset: { type: "integer", minimum: 0, description: "Items to skip" },
};

function builtin(name: string, description: string, input: Record<string, unknown>, required: string[], output: Record<string, unknown>, defaultPolicy: "allow" | "approve"): Tool {
  return {
    address: `${BUILTIN_INTEGRATION}.${name}`,
    integration: BUILTIN_INTEGRATION,
    name,
    description,
    inputSchema: { type: "object", properties: input, required, additionalProperties: false },
    outputSchema: output,
    defaultPolicy,
    invocation: { builtin: name },
  };
}

const policyOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    pattern: { type: "string" },
    action: { type: "string", enum: ["allow", "approve", "block"] },
    position: { type: "integer" },
  },
  required: ["id", "pattern", "action", "position"],
};

const list = (item: Record<string, unknown>) => ({
  type: "object",
  properties: { items: { type: "array", items: item }, total: { type: "integer" }, nextOffset: { type: ["integer", "null"] } },
  required: ["items", "total", "nextOffset"],
});

export const BUILTIN_TOOLS: Tool[] = [
  builtin(
    "integrations.list",
    "List the integrations registered in this Executor, with their kind and tool count.",
    {},
    [],
    list({
      type: "object",
      properties: { slug: { type: "string" }, kind: { type: "string" }, name: { type: "string" }, toolCount: { type: "integer" } },
      required: ["slug", "kind", "name", "toolCount"],
    }),
    "allow",
  ),
  builtin(
    "tools.list",
    "List the tools of the catalog (optionally of one integration) with their effective policy.",
    { integration: { type: "string", description: "Only this integration's tools" }, ...pageInput },
    [],
    list({
      type: "object",
      properties: { address: { type: "string" }, description: { type: "string" }, policy: { type: "string", enum: ["allow", "approve"] } },
      required: ["address", "description", "policy"],
    }),
    "allow",
  ),
  builtin("policies.list", "List the policy rules in order; the first rule whose pattern matches a tool decides.", {}, [], list(policyOutput), "allow"),
  builtin(
    "policies.create",
    "Add a policy rule. `*` matches one address segment; a trailing `*` matches the rest. Admins only.",
    {
      pattern: { type: "string", description: "e.g. github.issues.* or github.*" },
      action: { type: "string", enum: ["allow", "approve", "block"] },
      position: { type: "integer", minimum: 0, description: "Where to insert (default: last)" },
    },
    ["pattern", "action"],
    policyOutput,
    "approve",
  ),
  builtin(
    "policies.delete",
    "Delete a policy rule by id. Admins only.",
    { id: { type: "string" } },
    ["id"],
    { type: "object", properties: { deleted: { type: "string" } }, required: ["deleted"] },
    "approve",
  ),
  builtin(
    "executions.list",
    "List your own recent executions, newest first.",
    { ...pageInput },
    [],
    list({
      type: "object",
      properties: {
        id: { type: "string" },
        status: { type: "string" },
        createdAt: { type: "string" },
        error: { type: ["object", "null"], properties: { code: { type: "string" }, message: { type: "string" } } },
      },
      required: ["id", "status", "createdAt"],
    }),
    "allow",
  ),
];

export const BUILTIN_BY_ADDRESS = new Map(BUILTIN_TOOLS.map((tool) => [tool.address, tool]));
