/**
 * Replay: what a resumed run answers for a host call the journal already holds. Pure. The
 * program must make the very same call (kind, address, exact arguments, connection, call
 * options) at the same position, or the run stops with `replay_diverged`; a recorded outcome
 * is answered as recorded; a call whose outcome is unknown (in flight when its isolate
 * stopped) is answered `interrupted` and never sent again; an approved call is the one thing
 * that runs for real.
 */
import type { HostReply } from "../sandbox";
import type { NormalizedCall } from "./host-call";
import type { JournalEntry } from "./store";

export type ReplayOutcome =
  /** Answer the program with `reply`; when `status` is given, the entry is updated to it. */
  | { kind: "answer"; reply: HostReply; status?: JournalEntry["status"] }
  /** The program no longer makes the recorded call: the run ends. */
  | { kind: "diverged"; message: string }
  /** Still waiting for a human. */
  | { kind: "suspend" }
  /** A human approved it: check it may still run, then send it. */
  | { kind: "run_approved" };

/** What to do with `call`, which the journal recorded as `recorded`. */
export function replayRecorded(recorded: JournalEntry, call: NormalizedCall): ReplayOutcome {
  if (recorded.kind !== call.kind || recorded.address !== call.address || recorded.args !== call.argsText || recorded.connection !== call.connection || recorded.options !== call.optionsText) {
    return {
      kind: "diverged",
      message: `Replay diverged at call ${recorded.seq}: the program now calls ${call.kind} ${call.address ?? ""} with other arguments or options than the journal recorded (${recorded.kind} ${recorded.address ?? ""})`,
    };
  }
  switch (recorded.status) {
    case "ok":
    case "error":
    case "declined":
      return { kind: "answer", reply: JSON.parse(recorded.reply!) as HostReply };
    case "in_flight":
      return {
        kind: "answer",
        reply: failed("interrupted", `The call to ${recorded.address} was in flight when its isolate stopped; it was not sent again`),
        status: "error",
      };
    case "awaiting_approval":
      if (recorded.decision === "declined") {
        return { kind: "answer", reply: failed("declined", `A human declined ${recorded.address}${recorded.decidedBy ? ` (${recorded.decidedBy})` : ""}`), status: "declined" };
      }
      return recorded.decision === "approved" ? { kind: "run_approved" } : { kind: "suspend" };
  }
}

/** A failed call's reply. */
export function failed(code: string, message: string): HostReply {
  return { ok: false, error: { code, message } };
}
