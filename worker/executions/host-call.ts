/**
 * A program's host call in the form the journal keeps: its kind, the tool address, the
 * arguments as canonical JSON (a decision and a replay compare them exactly), the
 * connection it names and its other call options (`response`), also as canonical JSON so a
 * program that changes them diverges on replay. Pure.
 *
 * Arguments over MAX_CALL_ARGS_BYTES are refused before anything is sent (docs/agents.md,
 * Limits). The journal then keeps a marker with their size and a fingerprint instead of the
 * text: enough to recognise the same call on replay, without storing megabytes a program
 * chose to send.
 */
import type { ResponseMode } from "../catalog";
import type { HostCall } from "../sandbox";
import { canonicalJson } from "./canonical-json";

/** The largest arguments a tool call may carry, as JSON. */
export const MAX_CALL_ARGS_BYTES = 1024 * 1024;
/** The largest call options (besides `connection`) a tool call may carry, as JSON: they are a word or two. */
const MAX_CALL_OPTIONS_CHARS = 1024;


export interface NormalizedCall {
  kind: HostCall["kind"];
  address: string | null;
  args: Record<string, unknown>;
  argsText: string;
  connection: string | null;
  /**
   * The call options other than `connection`, as canonical JSON, exactly as the program gave
   * them (null: none). The journal keeps this text; replay compares it.
   */
  optionsText: string | null;
  /** What the options ask the call to answer. */
  response: ResponseMode;
  /** Why the options are refused (the call then fails with `invalid_arguments`), or null. */
  optionsProblem: string | null;
}

const OVERSIZED_MARKER = "$tooLarge";

/** Reads the sandbox's JSON payload for a call. */
export function normalizeCall(call: HostCall): NormalizedCall {
  const payload = (call.payload ?? {}) as Record<string, unknown>;
  if (call.kind === "tool") {
    const args = (payload.args ?? {}) as Record<string, unknown>;
    const options = payload.options ?? {};
    const { connection: named, ...rest } = (options !== null && typeof options === "object" && !Array.isArray(options) ? options : {}) as Record<string, unknown>;
    const connection = typeof named === "string" ? named : null;
    return {
      kind: call.kind,
      address: typeof payload.address === "string" ? payload.address : null,
      args,
      argsText: argsTextOf(args),
      connection,
      ...readOptions(options, rest),
    };
  }
  const noOptions = { connection: null, optionsText: null, response: "data", optionsProblem: null } as const;
  if (call.kind === "describe") {
    return { kind: call.kind, address: typeof payload.address === "string" ? payload.address : null, args: {}, argsText: canonicalJson(payload.address ?? null), ...noOptions };
  }
  return { kind: call.kind, address: null, args: payload, argsText: argsTextOf(payload), ...noOptions };
}

/** True when the call's arguments are over the limit (its `argsText` is then the marker). */
export function isOversized(call: NormalizedCall): boolean {
  return call.argsText.startsWith(`{"${OVERSIZED_MARKER}":`);
}

/**
 * The options besides `connection`: kept as given (so replay compares what the program
 * wrote), checked here. Unknown names are refused rather than ignored: a misspelt `response`
 * would otherwise change the shape of what the program gets without a word.
 */
function readOptions(options: unknown, rest: Record<string, unknown>): Pick<NormalizedCall, "optionsText" | "response" | "optionsProblem"> {
  const isObject = options !== null && typeof options === "object" && !Array.isArray(options);
  if (isObject && Object.keys(rest).length === 0) return { optionsText: null, response: "data", optionsProblem: null };
  const text = canonicalJson(isObject ? rest : options);
  if (text.length > MAX_CALL_OPTIONS_CHARS) {
    return { optionsText: canonicalJson({ [OVERSIZED_MARKER]: { chars: text.length, fingerprint: fingerprint(text) } }), response: "data", optionsProblem: "the call options are too large" };
  }
  if (!isObject) return { optionsText: text, response: "data", optionsProblem: "the call options (the second argument) must be an object" };
  const unknown = Object.keys(rest).filter((name) => name !== "response");
  if (unknown.length > 0) return { optionsText: text, response: "data", optionsProblem: `unknown call option ${unknown.join(", ")} (known: connection, response)` };
  if (rest.response !== "data" && rest.response !== "full") return { optionsText: text, response: "data", optionsProblem: 'the call option response must be "data" or "full"' };
  return { optionsText: text, response: rest.response, optionsProblem: null };
}

function argsTextOf(args: unknown): string {
  const text = canonicalJson(args);
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so most calls skip the encoding.
  if (text.length * 3 <= MAX_CALL_ARGS_BYTES) return text;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= MAX_CALL_ARGS_BYTES) return text;
  return canonicalJson({ [OVERSIZED_MARKER]: { bytes, fingerprint: fingerprint(text) } });
}

/** A fast 53-bit string hash (cyrb53): it only tells one oversized call from another on replay. */
function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}
