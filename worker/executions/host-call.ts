/**
 * A program's host call in the form the journal keeps: its kind, the tool address, the
 * arguments as canonical JSON (a decision and a replay compare them exactly) and the
 * connection it names. Pure.
 */
import type { HostCall } from "../sandbox";
import { canonicalJson } from "./canonical-json";

export interface NormalizedCall {
  kind: HostCall["kind"];
  address: string | null;
  args: Record<string, unknown>;
  argsText: string;
  connection: string | null;
}

/** Reads the sandbox's JSON payload for a call. */
export function normalizeCall(call: HostCall): NormalizedCall {
  const payload = (call.payload ?? {}) as Record<string, unknown>;
  if (call.kind === "tool") {
    const args = (payload.args ?? {}) as Record<string, unknown>;
    const options = (payload.options ?? {}) as Record<string, unknown>;
    const connection = typeof options.connection === "string" ? options.connection : null;
    return { kind: call.kind, address: typeof payload.address === "string" ? payload.address : null, args, argsText: canonicalJson(args), connection };
  }
  if (call.kind === "describe") {
    return { kind: call.kind, address: typeof payload.address === "string" ? payload.address : null, args: {}, argsText: canonicalJson(payload.address ?? null), connection: null };
  }
  return { kind: call.kind, address: null, args: payload, argsText: canonicalJson(payload), connection: null };
}
