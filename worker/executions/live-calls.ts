/**
 * Host calls made for real, as the policy allows: `tools.search` and `tools.describe` over
 * the catalog the caller may see, and a tool call's way through the one policy decision:
 * resolve the tool, apply the first matching rule (else the tool's default), check the
 * arguments, then block it, hold it for a human, or invoke it. Built-in `executor` tools run
 * here; every other tool goes to its source.
 */
import type { Caller } from "../auth";
import { BUILTIN_INTEGRATION, getTool, renderSignature, validateArguments, visibleTools, type FullResponse, type ResponseMode, type Tool } from "../catalog";
import { connectionNames } from "../connections";
import { readRevisions, type CallBinding, type Database, type Revisions } from "../db";
import { ExecutorError, toolFailure } from "../errors";
import { decidePolicy, loadPolicies, type PolicyAction, type PolicyRule } from "../policies";
import type { HostReply } from "../sandbox";
import { builtinBinding, callBinding, invokeTool } from "../sources";
import { canonicalJson } from "./canonical-json";
import { invokeBuiltin } from "./builtin-tools";

const MAX_PAGE = 100;
/** Result types in `describe` show two levels; the full output schema is alongside. */
const DESCRIBE_OUTPUT_DEPTH = 2;

export interface LiveCallContext {
  db: Database;
  env: Env;
  /** Acts for the execution's owner, whoever resumed it. */
  caller: Caller;
}

/** How one call is made: the connection it names, what it answers, and (approved) the connection it was approved with. */
export interface InvokeOptions {
  connectionName: string | null;
  response: ResponseMode;
  boundConnectionId?: string | null;
}

/** Where the policy sends a tool call. */
export type ToolDecision =
  | { kind: "refuse"; reply: HostReply; policy: PolicyAction | null }
  /** Held for a human, bound to what it would run with now. */
  | { kind: "approve"; tool: Tool; policy: PolicyAction; binding: CallBinding }
  | { kind: "invoke"; tool: Tool; policy: PolicyAction };

/** An approved call, checked again before it is sent. */
export type ApprovedDecision = { kind: "refuse"; reply: HostReply } | { kind: "invoke"; tool: Tool; boundConnectionId: string | null };

export interface LiveCalls {
  /** The policy's verdict on a new tool call (the tool resolved, its arguments checked). */
  decide(address: string | null, args: Record<string, unknown>, connectionName: string | null): Promise<ToolDecision>;
  /**
   * The verdict on a call a human approved: a tool gone or blocked since still refuses, and so
   * does one whose connection or definition is no longer what was approved (`approval_stale`).
   */
  decideApproved(address: string, connectionName: string | null, approved: CallBinding | null): Promise<ApprovedDecision>;
  /** Sends the call; every failure comes back as a reply the program can catch. */
  invoke(tool: Tool, args: Record<string, unknown>, options: InvokeOptions): Promise<HostReply>;
  search(args: Record<string, unknown>): Promise<HostReply>;
  describe(address: string | null): Promise<HostReply>;
}

export function liveCalls(context: LiveCallContext): LiveCalls {
  const { db } = context;
  // Revisions and rules are read once per run, on the first call that needs them.
  let state: Promise<{ revisions: Revisions; rules: PolicyRule[] }> | undefined;
  const catalogState = () => (state ??= readRevisions(db).then(async (revisions) => ({ revisions, rules: await loadPolicies(db, revisions.policies) })));

  /** The tool and its effective policy; `tool_not_found` when there is none. */
  async function lookUp(address: string | null): Promise<{ tool: Tool; policy: PolicyAction }> {
    const { revisions, rules } = await catalogState();
    const tool = address ? await getTool(db, address, revisions.catalog) : null;
    if (!tool) throw new ExecutorError("tool_not_found", `No tool ${address ?? "(no address)"}; use tools.search to find one`);
    return { tool, policy: decidePolicy(tool.address, rules, tool.defaultPolicy).action };
  }

  /** What the call would run with now, for a human to approve. */
  const bindingOf = async (tool: Tool, connectionName: string | null): Promise<CallBinding> =>
    tool.integration === BUILTIN_INTEGRATION ? builtinBinding(tool) : callBinding(db, context.caller, tool, connectionName, (await catalogState()).revisions);

  /** Looks the tool up for a call; a missing or blocked tool is a refusal. */
  async function decideFor(address: string | null, check: (tool: Tool) => void): Promise<Exclude<ToolDecision, { kind: "approve" }> | { kind: "approve"; tool: Tool; policy: PolicyAction }> {
    let found: { tool: Tool; policy: PolicyAction };
    try {
      found = await lookUp(address);
    } catch (error) {
      return { kind: "refuse", reply: replyOf(error), policy: null };
    }
    const { tool, policy } = found;
    if (policy === "block") return { kind: "refuse", reply: replyOf(blocked(tool)), policy };
    try {
      check(tool);
    } catch (error) {
      return { kind: "refuse", reply: replyOf(error), policy };
    }
    return { kind: policy === "approve" ? "approve" : "invoke", tool, policy };
  }

  return {
    async decide(address, args, connectionName) {
      const decision = await decideFor(address, (tool) => validateArguments(tool, args));
      if (decision.kind !== "approve") return decision;
      try {
        // A call that cannot run (no such connection) fails now; a human is not asked for it.
        return { ...decision, binding: await bindingOf(decision.tool, connectionName) };
      } catch (error) {
        return { kind: "refuse", reply: replyOf(error), policy: decision.policy };
      }
    },

    async decideApproved(address, connectionName, approved) {
      // A block added after the approval still wins: approval never overrides a block.
      const decision = await decideFor(address, () => undefined);
      if (decision.kind === "refuse") return decision;
      let current: CallBinding;
      try {
        current = await bindingOf(decision.tool, connectionName);
      } catch (error) {
        return { kind: "refuse", reply: replyOf(error) };
      }
      if (approved === null || canonicalJson(current) !== canonicalJson(approved)) {
        return { kind: "refuse", reply: replyOf(new ExecutorError("approval_stale", staleMessage(decision.tool, approved, current))) };
      }
      return { kind: "invoke", tool: decision.tool, boundConnectionId: approved.connection?.id ?? null };
    },

    async invoke(tool, args, { connectionName, response, boundConnectionId }) {
      const { revisions } = await catalogState();
      const invokeContext = { db, env: context.env, caller: context.caller, now: Date.now(), connectionName, boundConnectionId, revisions, response };
      if (tool.integration !== BUILTIN_INTEGRATION) return replyFrom(() => invokeTool(tool, args, invokeContext));
      // Built-in tools have no HTTP answer of their own: the full form carries no status or headers.
      return replyFrom(async () => {
        const data = await invokeBuiltin(tool, args, invokeContext);
        return response === "full" ? ({ data: data ?? null, status: null, headers: {} } satisfies FullResponse) : data;
      });
    },

    search: (args) => replyFrom(() => search(args)),
    describe: (address) => replyFrom(() => describe(address)),
  };

  async function search(args: Record<string, unknown>): Promise<unknown> {
    const query = args.query;
    if (typeof query !== "string") throw new ExecutorError("invalid_arguments", "tools.search(query): query must be a string");
    const options = (args.options ?? {}) as Record<string, unknown>;
    const limit = boundedInteger(options.limit, 20, 1, MAX_PAGE, "limit");
    const offset = boundedInteger(options.offset, 0, 0, Number.MAX_SAFE_INTEGER, "offset");
    const integration = typeof options.integration === "string" ? options.integration : undefined;
    const { revisions } = await catalogState();
    const { items, total } = await visibleTools(db, revisions, { query, integration, includeBlocked: false, offset, limit });
    return {
      // The hint (required arguments) often saves the agent a describe call.
      items: items.map(({ hit, policy }) => ({ address: hit.address, description: hit.summary, ...(hit.hint ? { hint: hit.hint } : {}), requiresApproval: policy.action === "approve" })),
      total,
      nextOffset: offset + limit < total ? offset + limit : null,
    };
  }

  async function describe(address: string | null): Promise<unknown> {
    if (!address) throw new ExecutorError("invalid_arguments", "tools.describe(address): address must be a string");
    const { tool, policy } = await lookUp(address);
    if (policy === "block") throw blocked(tool);
    return {
      address: tool.address,
      description: tool.description,
      typescript: renderSignature(tool.address, tool.inputSchema, tool.outputSchema ?? undefined, { outputMaxDepth: DESCRIBE_OUTPUT_DEPTH }),
      input: tool.inputSchema,
      output: tool.outputSchema,
      requiresApproval: policy === "approve",
      connections: tool.integration === BUILTIN_INTEGRATION ? [] : await connectionNames(db, tool.integration, context.caller.identity),
    };
  }
}

/** Runs host work; what it throws becomes a failed reply (internal text stays in the log). */
async function replyFrom(work: () => Promise<unknown>): Promise<HostReply> {
  try {
    const value = await work();
    return { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    return replyOf(error);
  }
}

function replyOf(error: unknown): HostReply {
  return { ok: false, error: toolFailure(error) };
}

/** Says what changed since the approval, in words a person recognises (no ids, no secrets). */
function staleMessage(tool: Tool, approved: CallBinding | null, current: CallBinding): string {
  const what =
    approved === null
      ? "it was approved before approvals recorded what they bind to"
      : approved.toolRevision !== current.toolRevision
        ? `${tool.address} changed (its method, URL or server) since the approval`
        : `it would now use ${connectionLabel(current)} instead of ${connectionLabel(approved)}`;
  return `The approved call to ${tool.address} was not sent: ${what}. Run the program again to ask for a new approval.`;
}

function connectionLabel(binding: CallBinding): string {
  const connection = binding.connection;
  return connection ? `the ${connection.shared ? "shared" : "personal"} connection ${connection.name} (version ${connection.credentialVersion})` : "no connection";
}

function blocked(tool: Tool): ExecutorError {
  return new ExecutorError("blocked", `${tool.address} is blocked by policy`);
}

function boundedInteger(value: unknown, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ExecutorError("invalid_arguments", `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
