/**
 * Answers a program's host calls (tools, search, describe) and keeps the journal: each call
 * the journal already holds is answered by replay (journal-replay.ts); every other call is
 * made for real as the policy allows (live-calls.ts). A call waiting for a human stops the
 * program where it stands (SUSPEND).
 *
 * A live call in a resumed run is journaled as in flight before it is sent, so if this
 * isolate dies mid-call the next resume answers `interrupted` instead of sending it twice.
 */
import type { Caller } from "../auth";
import type { Database } from "../db";
import { SUSPEND, type HostBridge, type HostCall, type HostReply } from "../sandbox";
import { normalizeCall, type NormalizedCall } from "./host-call";
import { replayRecorded } from "./journal-replay";
import { liveCalls } from "./live-calls";
import type { JournalEntry } from "./store";

export interface BridgeOptions {
  db: Database;
  env: Env;
  /** Acts for the execution's owner, whoever resumed it. */
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

  async function send(entry: JournalEntry, call: NormalizedCall, tool: Parameters<typeof live.invoke>[0]): Promise<HostReply> {
    if (options.replaying) {
      const marker: JournalEntry = { ...entry, status: "in_flight", reply: null };
      record(marker);
      await options.persistEntry(marker);
    }
    return finish(entry, await live.invoke(tool, call.args, entry.connection));
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
          const decision = await live.decideApproved(recorded.address!);
          if (decision.kind === "refuse") return finish(recorded, decision.reply);
          return send(recorded, request, decision.tool);
        }
      }
    }

    const entry = newEntry(hostCall.seq, request);
    if (request.kind === "search") return finish(entry, await live.search(request.args));
    if (request.kind === "describe") return finish(entry, await live.describe(request.address));
    const decision = await live.decide(request.address, request.args);
    entry.policy = decision.policy;
    if (decision.kind === "refuse") return finish(entry, decision.reply);
    if (decision.kind === "approve") {
      record({ ...entry, status: "awaiting_approval" });
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
