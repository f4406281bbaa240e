/**
 * Answers a program's host calls (tools, search, describe) and keeps the journal: each call
 * the journal already holds is answered by replay (journal-replay.ts); every other call is
 * made for real as the policy allows (live-calls.ts). A call waiting for a human stops the
 * program where it stands (SUSPEND).
 *
 * A live call is journaled as in flight before it is sent; in a resumed run the marker is
 * written to D1 first, and only while this run still holds the execution (its claimed
 * version), so if this isolate dies mid-call the next resume answers `interrupted` instead of
 * sending it twice, and a resume that lost the execution to another sends nothing.
 */
import type { Caller } from "../auth";
import type { Database } from "../db";
import { SUSPEND, type HostBridge, type HostCall, type HostReply } from "../sandbox";
import { isOversized, normalizeCall, MAX_CALL_ARGS_BYTES, type NormalizedCall } from "./host-call";
import { failed, replayRecorded } from "./journal-replay";
import { liveCalls } from "./live-calls";
import type { JournalEntry } from "./store";

export interface BridgeOptions {
  db: Database;
  env: Env;
  /** Acts for the execution's owner, whoever resumed it. */
  caller: Caller;
  journal: Map<number, JournalEntry>;
  /**
   * Resuming: writes a live call's in-flight marker to D1 before it is sent; false when this
   * run no longer holds the execution (the call must not be sent). Absent on a first run,
   * whose calls all settle before anything is stored.
   */
  persistInFlight?(entry: JournalEntry): Promise<boolean>;
}

export interface JournalingBridge extends HostBridge {
  /** Entries added or changed during this run. */
  readonly changed: Set<number>;
  /** Set when the run must end with an execution error (divergence). */
  readonly stop: { code: string; message: string } | null;
}

export function createHostBridge(options: BridgeOptions): JournalingBridge {
  const { journal } = options;
  const live = liveCalls(options);
  const changed = new Set<number>();
  let stop: { code: string; message: string } | null = null;

  const record = (entry: JournalEntry): void => {
    journal.set(entry.seq, entry);
    changed.add(entry.seq);
  };

  const finish = (entry: JournalEntry, reply: HostReply, status: JournalEntry["status"] = reply.ok ? "ok" : "error"): HostReply => {
    record({ ...entry, status, reply: JSON.stringify(reply), finishedAt: Date.now() });
    return reply;
  };

  async function send(entry: JournalEntry, call: NormalizedCall, tool: Parameters<typeof live.invoke>[0], boundConnectionId?: string | null): Promise<HostReply | typeof SUSPEND> {
    const marker: JournalEntry = { ...entry, status: "in_flight", reply: null };
    record(marker);
    if (options.persistInFlight && !(await options.persistInFlight(marker))) {
      stop = { code: "interrupted", message: "Another resume took this execution over; this run stopped without sending anything more" };
      return SUSPEND;
    }
    return finish(entry, await live.invoke(tool, call.args, { connectionName: entry.connection, response: call.response, boundConnectionId }));
  }

  async function call(hostCall: HostCall): Promise<HostReply | typeof SUSPEND> {
    const request = normalizeCall(hostCall);
    const recorded = journal.get(hostCall.seq);
    if (recorded) {
      const outcome = replayRecorded(recorded, request);
      switch (outcome.kind) {
        case "answer":
          return outcome.status ? finish(recorded, outcome.reply, outcome.status) : outcome.reply;
        case "diverged":
          stop = { code: "replay_diverged", message: outcome.message };
          return SUSPEND;
        case "suspend":
          return SUSPEND;
        case "run_approved": {
          const decision = await live.decideApproved(recorded.address!, recorded.connection, recorded.binding);
          if (decision.kind === "refuse") return finish(recorded, decision.reply);
          return send(recorded, request, decision.tool, decision.boundConnectionId);
        }
      }
    }

    const entry = newEntry(hostCall.seq, request);
    if (isOversized(request)) {
      return finish(entry, failed("invalid_arguments", `The arguments are larger than ${MAX_CALL_ARGS_BYTES} bytes of JSON; nothing was sent`));
    }
    if (request.optionsProblem) return finish(entry, failed("invalid_arguments", `${request.optionsProblem}; nothing was sent`));
    if (request.kind === "search") return finish(entry, await live.search(request.args));
    if (request.kind === "describe") return finish(entry, await live.describe(request.address));
    const decision = await live.decide(request.address, request.args, request.connection);
    entry.policy = decision.policy;
    if (decision.kind === "refuse") return finish(entry, decision.reply);
    if (decision.kind === "approve") {
      record({ ...entry, binding: decision.binding, status: "awaiting_approval" });
      return SUSPEND;
    }
    return send(entry, request, decision.tool);
  }

  return {
    call,
    changed,
    get stop() {
      return stop;
    },
  };
}

function newEntry(seq: number, request: NormalizedCall): JournalEntry {
  return {
    seq,
    kind: request.kind,
    address: request.address,
    args: request.argsText,
    connection: request.connection,
    options: request.optionsText,
    binding: null,
    policy: null,
    status: "in_flight",
    reply: null,
    decision: null,
    decidedBy: null,
    decidedAt: null,
    startedAt: Date.now(),
    finishedAt: null,
  };
}
