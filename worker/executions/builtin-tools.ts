/**
 * Runs the built-in `executor` tools (defined with the catalog): a program reads the catalog,
 * the policies and its own recent executions, and an admin's program changes policies. They
 * act with the caller's own rights; errors are ExecutorErrors like any other tool's.
 */
import { requireAdmin } from "../auth";
import { listIntegrationSummaries, visibleTools, type InvokeContext, type Tool } from "../catalog";
import { readRevisions } from "../db";
import { ExecutorError } from "../errors";
import { createPolicy, deletePolicy, listPolicies, type Policy, type PolicyAction } from "../policies";
import { listExecutions } from "./store";

type Args = Record<string, unknown>;

const handlers: Record<string, (args: Args, context: InvokeContext) => Promise<unknown>> = {
  async "integrations.list"(_args, { db }) {
    const items = await listIntegrationSummaries(db);
    return { items, total: items.length, nextOffset: null };
  },

  async "tools.list"(args, { db }) {
    const { limit, offset } = page(args);
    const integration = typeof args.integration === "string" ? args.integration : undefined;
    const { items, total } = await visibleTools(db, await readRevisions(db), { integration, includeBlocked: false, offset, limit });
    return {
      items: items.map(({ hit, policy }) => ({ address: hit.address, description: hit.summary, policy: policy.action })),
      total,
      nextOffset: nextOffset(offset, limit, total),
    };
  },

  async "policies.list"(_args, { db }) {
    const items = (await listPolicies(db)).map(policyView);
    return { items, total: items.length, nextOffset: null };
  },

  async "policies.create"(args, { db, caller, now }) {
    requireAdmin(caller.identity);
    const policy = await createPolicy(db, { pattern: String(args.pattern), action: args.action as PolicyAction, position: args.position as number | undefined }, caller.identity.id, now);
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
      nextOffset: nextOffset(offset, limit, total),
    };
  },
};

/** Invokes a built-in tool whose arguments were validated against its schema. */
export async function invokeBuiltin(tool: Tool, args: Args, context: InvokeContext): Promise<unknown> {
  const handler = handlers[tool.name];
  if (!handler) throw new ExecutorError("tool_not_found", `No built-in tool ${tool.address}`);
  return handler(args, context);
}

function policyView(policy: Policy) {
  return { id: policy.id, pattern: policy.pattern, action: policy.action, position: policy.position };
}

function page(args: Args): { limit: number; offset: number } {
  return { limit: typeof args.limit === "number" ? args.limit : 20, offset: typeof args.offset === "number" ? args.offset : 0 };
}

function nextOffset(offset: number, limit: number, total: number): number | null {
  return offset + limit < total ? offset + limit : null;
}
