/**
 * What a `tools/call` can say to its client while it runs: requests and notifications on the
 * call's own SSE stream (the only way back to a client of a stateless server), and the
 * answers to its elicitations, which come back through D1 (elicitations.ts). Used only for
 * clients whose session says they can open URLs (session-id.ts).
 *
 * It sends: `elicitation/create` in URL mode; `notifications/elicitation/complete` when what
 * the URL was for is done; `notifications/cancelled` for an elicitation nobody answered in
 * time; and `notifications/progress` while waiting, when the client gave a progress token.
 * A client that went away makes these no-ops: the wait then ends on its own deadline.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Database } from "../db";
import { closeElicitation, elicitationAnswer, openElicitation, type ElicitationAction } from "./elicitations";

export interface ClientChannel {
  /** Asks the client to send its user to `url`, saying why in `message`; returns the elicitation's id. */
  elicitUrl(message: string, url: string): Promise<string>;
  /** The client's answer to an elicitation so far, or null. */
  answer(id: string): Promise<ElicitationAction | null>;
  /** Tells the client the interaction behind the URL is over. */
  complete(id: string): Promise<void>;
  /** Withdraws an elicitation the client never answered. */
  withdraw(id: string): Promise<void>;
  /** Says the call is still waiting, and for what (only with a progress token). */
  progress(message: string): Promise<void>;
  /** Forgets every elicitation this call opened. */
  close(): Promise<void>;
}

export interface ChannelOptions {
  /** Sends a message on the call's stream. */
  send(message: JSONRPCMessage): Promise<void>;
  db: Database;
  /** The caller: only its answers count. */
  identityId: string;
  /** The call's `_meta.progressToken`, if the client gave one. */
  progressToken: string | number | undefined;
  /** How long an elicitation may wait for its answer. */
  waitMs: number;
}

/** Grace beyond the wait before a leftover elicitation row counts as expired. */
const ROW_GRACE_MS = 60_000;

/** The channel of one `tools/call`. */
export function clientChannel(options: ChannelOptions): ClientChannel {
  const { db } = options;
  const opened = new Set<string>();
  const started = Date.now();
  let lastProgress = 0;
  const send = async (message: JSONRPCMessage): Promise<void> => {
    try {
      await options.send(message);
    } catch (error) {
      console.warn("mcp: could not write to the call's stream", error instanceof Error ? error.message : String(error));
    }
  };
  return {
    async elicitUrl(message, url) {
      const id = await openElicitation(db, options.identityId, Date.now(), options.waitMs + ROW_GRACE_MS);
      opened.add(id);
      await send({ jsonrpc: "2.0", id, method: "elicitation/create", params: { mode: "url", elicitationId: id, url, message } });
      return id;
    },
    answer: (id) => elicitationAnswer(db, id),
    complete: (id) => send({ jsonrpc: "2.0", method: "notifications/elicitation/complete", params: { elicitationId: id } }),
    withdraw: (id) => send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "No answer in time; the call answers without it" } }),
    async progress(message) {
      if (options.progressToken === undefined) return;
      // Progress must increase with every notification: seconds waited, at least one more each time.
      lastProgress = Math.max(lastProgress + 1, Math.floor((Date.now() - started) / 1000));
      await send({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: options.progressToken, progress: lastProgress, message } });
    },
    async close() {
      await Promise.all([...opened].map((id) => closeElicitation(db, id)));
      opened.clear();
    },
  };
}
