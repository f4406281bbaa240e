/** Runs the built-in `executor` tools; they act with the caller's own rights. */
import { requireAdmin } from "../../auth";
import { catalogIndex, listIntegrationSummaries, ToolError, type InvokeContext, type Tool } from "../../catalog";
import { readRevisions } from "../../db";
import { listExecutions } from "../../executions/store";
import { ApiError } from "../../http";
import { createPolicy, decidePolicy, deletePolicy, listPolicies, loadPolicies, patternProblem, type Policy, type PolicyAction } from "../../policies";

type Args = Record<string, unknown>;

const handlers: Record<string, (args: Args, context: InvokeContext) => Promise<unknown>> = {
  async "integrations.list"(_args, { db }) {
    const items = await listIntegrationSummaries(db);
    return { items, total: items.length, nextOffset: null };
  },

  async "tools.list"(args, { db }) {
    const revisions = await readRevisions(db);
    const [entries, rules] = await Promise.all([catalogIndex(db, revisions.catalog), loadPolicies(db, revisions.policies)]);
    const visible = entries
      .filter((entry) => args.integration === undefined || entry.integration === args.integration)
      .map((entry) => ({ entry, policy: decidePolicy(entry.address, rules, entry.defaultPolicy).action }))
      .filter(({ policy }) => policy !== "block");
    const { limit, offset } = page(args);
    const items = visible.slice(offset, offset + limit).map(({ entry, policy }) => ({ address: entry.address, description: entry.description.slice(0, 200), policy }));
    return { items, total: visible.length, nextOffset: offset + limit < visible.length ? offset + limit : null };
  },

  async "policies.list"(_args, { db }) {
    const items = (await listPolicies(db)).map(policyView);
    return { items, total: items.length, nextOffset: null };
  },

  async "policies.create"(args, { db, caller, now }) {
    requireAdmin(caller.identity);
    const pattern = String(args.pattern);
    const problem = patternProblem(pattern);
    if (problem) throw new ToolError("invalid_arguments", `pattern ${problem}`);
    const policy = await createPolicy(db, { pattern, action: args.action as PolicyAction, position: args.position as number | undefined }, caller.identity.id, now);
    return policyView(policy);
  },

  async "policies.delete"(args, { db, caller, now }) {
    requireAdmin(caller.identity);
    await deletePolicy(db, String(args.id), now);
    return { deleted: String(args.id) };
  },

  async "executions.list"(args, { db, caller }) {
    const { limit, offset } = page(args);
    const { items, total } = await listExecutions(db, { identityId: caller.identity.id, includePaused: false, limit, offset });
    return {
      items: items.map((item) => ({ id: item.id, status: item.status, createdAt: new Date(item.createdAt).toISOString(), error: item.error })),
      total,
      nextOffset: offset + limit < total ? offset + limit : null,
    };
  },
};

/** Invokes a built-in tool. ApiErrors from the stores become tool errors the program can catch. */
export async function invokeBuiltin(tool: Tool, args: Args, context: InvokeContext): Promise<unknown> {
  const handler = handlers[tool.name];
  if (!handler) throw new ToolError("tool_not_found", `No built-in tool ${tool.address}`);
  try {
    return await handler(args, context);
  } catch (error) {
    if (error instanceof ApiError) throw new ToolError(error.code === "invalid_request" ? "invalid_arguments" : "upstream_error", error.message, { status: error.status });
    throw error;
  }
}

function policyView(policy: Policy) {
  return { id: policy.id, pattern: policy.pattern, action: policy.action, position: policy.position };
}

function page(args: Args): { limit: number; offset: number } {
  return { limit: typeof args.limit === "number" ? args.limit : 20, offset: typeof args.offset === "number" ? args.offset : 0 };
}
