/**
 * Runs the built-in `executor` tools (defined with the catalog): a program reads the catalog,
 * the policies and its own recent executions, and an admin's program changes policies. They
 * act with the caller's own rights; errors are ExecutorErrors like any other tool's.
 */
import { requireAdmin } from "../auth";
import { visibleIntegrations, visibleTools, type InvokeContext, type Tool } from "../catalog";
import { readRevisions, type Database } from "../db";
import { ExecutorError } from "../errors";
import { createPolicy, deletePolicy, listPolicies, loadPolicyScope, type Policy, type PolicyAction, type PolicyScope } from "../policies";
import { listExecutions } from "./store";

type Args = Record<string, unknown>;

const handlers: Record<string, (args: Args, context: InvokeContext) => Promise<unknown>> = {
  async "integrations.list"(_args, context) {
    const { revisions, scope } = await scopeOf(context);
    const items = await visibleIntegrations(context.db, revisions, scope);
    return { items, total: items.length, nextOffset: null };
  },

  async "tools.list"(args, context) {
    const { limit, offset } = page(args);
    const integration = typeof args.integration === "string" ? args.integration : undefined;
    const { revisions, scope } = await scopeOf(context);
    const { items, total } = await visibleTools(context.db, revisions, { integration, includeBlocked: false, offset, limit }, scope);
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

/** The execution's policy scope (its toolkit, its owner's rules), or the caller's own outside one. */
async function scopeOf(context: InvokeContext): Promise<{ revisions: { catalog: number; policies: number }; scope: PolicyScope }> {
  const db: Database = context.db;
  const revisions = await readRevisions(db);
  return { revisions, scope: context.policyScope ?? (await loadPolicyScope(db, revisions.policies, { ownerId: context.caller.identity.id, toolkit: null })) };
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
