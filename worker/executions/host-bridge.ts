/**
 * Answers a program's host calls (tools, search, describe) and keeps the journal.
 * This is the one place that decides policy for a call: resolve the tool, validate its
 * arguments, apply the first matching rule (else the tool's default), then block, pause for
 * a human, or invoke.
 *
 * On replay (a resumed execution) every call already in the journal is answered from it and
 * must match it exactly; the approved call runs for real, once. A live call in a replayed
 * run is journaled as in flight before it is sent, so if this isolate dies mid-call the next
 * resume answers `interrupted` instead of sending it twice.
 */
import type { Caller } from "../auth";
import { catalogIndex, getTool, rankEntries, renderSignature, ToolError, validateArguments, type Tool } from "../catalog";
import { readRevisions, type Database } from "../db";
import type { Env } from "../env";
import { decidePolicy, loadPolicies, type PolicyRule } from "../policies";
import { SUSPEND, type HostBridge, type HostCall, type HostReply } from "../sandbox";
import { BUILTIN_INTEGRATION, invokeTool } from "../sources";
import { connectionNames } from "../connections";
import { canonicalJson } from "./canonical-json";
import type { JournalEntry } from "./store";

export interface BridgeOptions {
  db: Database;
  env: Env;
  caller: Caller;
  journal: Map<number, JournalEntry>;
  /** True when resuming: calls made live are marked in flight in D1 before they are sent. */
  replaying: boolean;
  /** Writes one journal entry now (the in-flight marker). */
  persistEntry(entry: JournalEntry): Promise<void>;
}

export interface JournalingBridge extends HostBridge {
  /** Entries added or changed during this run. */
  readonly changed: Set<number>;
  /** Set when the run must end with an execution error (divergence). */
  readonly stop: { code: string; message: string } | null;
}

const MAX_PAGE = 100;
/** Result types in `describe` show two levels; the full output schema is alongside. */
const DESCRIBE_OUTPUT_DEPTH = 2;

export function createHostBridge(options: BridgeOptions): JournalingBridge {
  const { db, journal } = options;
  const changed = new Set<number>();
  let stop: { code: string; message: string } | null = null;
  let state: Promise<{ catalogRevision: number; rules: PolicyRule[] }> | undefined;

  // Revisions are read once per run, on the first call that needs them.
  const catalogState = () =>
    (state ??= readRevisions(db).then(async (revisions) => ({
      catalogRevision: revisions.catalog,
      rules: await loadPolicies(db, revisions.policies),
    })));

  const record = (entry: JournalEntry): void => {
    journal.set(entry.seq, entry);
    changed.add(entry.seq);
  };

  const finish = (entry: JournalEntry, reply: HostReply, status: JournalEntry["status"] = reply.ok ? "ok" : "error"): HostReply => {
    record({ ...entry, status, reply: JSON.stringify(reply), finishedAt: Date.now() });
    return reply;
  };

  async function invokeLive(entry: JournalEntry, tool: Tool, args: Record<string, unknown>): Promise<HostReply> {
    const connectionName = entry.connection;
    if (options.replaying) {
      const marker: JournalEntry = { ...entry, status: "in_flight", reply: null };
      record(marker);
      await options.persistEntry(marker);
    }
    const reply = await replyFrom(() => invokeTool(tool, args, { db, env: options.env, caller: options.caller, now: Date.now(), connectionName }));
    return finish(entry, reply);
  }

  async function call(hostCall: HostCall): Promise<HostReply | typeof SUSPEND> {
    const request = normalize(hostCall);
    const recorded = journal.get(hostCall.seq);
    if (recorded) {
      if (recorded.kind !== hostCall.kind || recorded.address !== request.address || recorded.args !== request.argsText || recorded.connection !== request.connection) {
        stop = {
          code: "replay_diverged",
          message: `Replay diverged at call ${hostCall.seq}: the program now calls ${hostCall.kind} ${request.address ?? ""} with other arguments than the journal recorded (${recorded.kind} ${recorded.address ?? ""})`,
        };
        return SUSPEND;
      }
      switch (recorded.status) {
        case "ok":
        case "error":
        case "declined":
          return JSON.parse(recorded.reply!) as HostReply;
        case "in_flight":
          return finish(recorded, toolFailure("interrupted", `The call to ${recorded.address} was in flight when its isolate stopped; it was not sent again`), "error");
        case "awaiting_approval": {
          if (recorded.decision === "declined") {
            return finish(recorded, toolFailure("declined", `A human declined ${recorded.address}${recorded.decidedBy ? ` (${recorded.decidedBy})` : ""}`), "declined");
          }
          if (recorded.decision !== "approved") return SUSPEND;
          const { catalogRevision, rules } = await catalogState();
          const tool = await getTool(db, recorded.address!, catalogRevision);
          if (!tool) return finish(recorded, toolFailure("tool_not_found", `No tool ${recorded.address}`));
          // A block added after the approval still wins: approval never overrides a block.
          if (decidePolicy(tool.address, rules, tool.defaultPolicy).action === "block") {
            return finish(recorded, toolFailure("blocked", `${tool.address} is blocked by policy`));
          }
          return invokeLive(recorded, tool, request.args);
        }
      }
    }

    const entry: JournalEntry = {
      seq: hostCall.seq,
      kind: hostCall.kind,
      address: request.address,
      args: request.argsText,
      connection: request.connection,
      policy: null,
      status: "in_flight",
      reply: null,
      decision: null,
      decidedBy: null,
      decidedAt: null,
      startedAt: Date.now(),
      finishedAt: null,
    };
    if (hostCall.kind === "search") return finish(entry, await replyFrom(() => search(request.args)));
    if (hostCall.kind === "describe") return finish(entry, await replyFrom(() => describe(request.address)));

    const { catalogRevision, rules } = await catalogState();
    const tool = request.address ? await getTool(db, request.address, catalogRevision) : null;
    if (!tool) return finish(entry, toolFailure("tool_not_found", `No tool ${request.address ?? "(no address)"}; use tools.search to find one`));
    const decision = decidePolicy(tool.address, rules, tool.defaultPolicy);
    entry.policy = decision.action;
    if (decision.action === "block") return finish(entry, toolFailure("blocked", `${tool.address} is blocked by policy`));
    try {
      validateArguments(tool, request.args);
    } catch (error) {
      return finish(entry, await replyFrom(() => Promise.reject(error)));
    }
    if (decision.action === "approve") {
      record({ ...entry, status: "awaiting_approval" });
      return SUSPEND;
    }
    return invokeLive(entry, tool, request.args);
  }

  async function search(args: Record<string, unknown>): Promise<unknown> {
    const query = args.query;
    if (typeof query !== "string") throw new ToolError("invalid_arguments", "tools.search(query): query must be a string");
    const options = (args.options ?? {}) as Record<string, unknown>;
    const limit = boundedInteger(options.limit, 20, 1, MAX_PAGE, "limit");
    const offset = boundedInteger(options.offset, 0, 0, Number.MAX_SAFE_INTEGER, "offset");
    const { catalogRevision, rules } = await catalogState();
    const entries = await catalogIndex(db, catalogRevision);
    const visible = entries.filter((entry) => options.integration === undefined || entry.integration === options.integration);
    const ranked = rankEntries(visible, query)
      .map((entry) => ({ entry, action: decidePolicy(entry.address, rules, entry.defaultPolicy).action }))
      // Blocked tools are invisible to programs (admins still see them in /api/tools).
      .filter(({ action }) => action !== "block");
    return {
      items: ranked.slice(offset, offset + limit).map(({ entry, action }) => ({
        address: entry.address,
        description: firstSentence(entry.description),
        requiresApproval: action === "approve",
      })),
      total: ranked.length,
      nextOffset: offset + limit < ranked.length ? offset + limit : null,
    };
  }

  async function describe(address: string | null): Promise<unknown> {
    if (!address) throw new ToolError("invalid_arguments", "tools.describe(address): address must be a string");
    const { catalogRevision, rules } = await catalogState();
    const tool = await getTool(db, address, catalogRevision);
    if (!tool) throw new ToolError("tool_not_found", `No tool ${address}; use tools.search to find one`);
    const action = decidePolicy(tool.address, rules, tool.defaultPolicy).action;
    if (action === "block") throw new ToolError("blocked", `${tool.address} is blocked by policy`);
    return {
      address: tool.address,
      description: tool.description,
      typescript: renderSignature(tool.address, tool.inputSchema, tool.outputSchema ?? undefined, { outputMaxDepth: DESCRIBE_OUTPUT_DEPTH }),
      input: tool.inputSchema,
      output: tool.outputSchema,
      requiresApproval: action === "approve",
      connections: tool.integration === BUILTIN_INTEGRATION ? [] : await connectionNames(db, tool.integration, options.caller.identity),
    };
  }

  return {
    call,
    changed,
    get stop() {
      return stop;
    },
  };
}

interface NormalizedCall {
  address: string | null;
  args: Record<string, unknown>;
  argsText: string;
  connection: string | null;
}

function normalize(call: HostCall): NormalizedCall {
  const payload = (call.payload ?? {}) as Record<string, unknown>;
  if (call.kind === "tool") {
    const args = (payload.args ?? {}) as Record<string, unknown>;
    const options = (payload.options ?? {}) as Record<string, unknown>;
    const connection = typeof options.connection === "string" ? options.connection : null;
    return { address: typeof payload.address === "string" ? payload.address : null, args, argsText: canonicalJson(args), connection };
  }
  if (call.kind === "describe") {
    return { address: typeof payload.address === "string" ? payload.address : null, args: {}, argsText: canonicalJson(payload.address ?? null), connection: null };
  }
  return { address: null, args: payload, argsText: canonicalJson(payload), connection: null };
}

async function replyFrom(work: () => Promise<unknown>): Promise<HostReply> {
  try {
    const value = await work();
    return { ok: true, value: value === undefined ? null : value };
  } catch (error) {
    if (error instanceof ToolError) {
      return { ok: false, error: { code: error.code, message: error.message, ...error.extra } };
    }
    const id = crypto.randomUUID().slice(0, 8);
    console.error(`tool call failed [${id}]`, error);
    return { ok: false, error: { code: "upstream_error", message: `Internal error [${id}]` } };
  }
}

function toolFailure(code: string, message: string): HostReply {
  return { ok: false, error: { code, message } };
}

function boundedInteger(value: unknown, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ToolError("invalid_arguments", `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function firstSentence(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
