/**
 * The short summary of a paused call's arguments that a notification carries
 * (docs/operations.md#what-a-notification-holds): at most 10 top-level keys, each value as
 * text cut to 80 characters. A notification leaves the Worker for a chat service, so it
 * carries less than the console shows, and never a secret:
 * - values under keys whose last word names a credential (password, passphrase, secret,
 *   token, key, auth, authorization, cookie, credential(s), signature: `client_secret`,
 *   `accessToken`, `X-Api-Key`), at any depth, become `[redacted]`;
 * - every credential of the call's connection that appears in a value is `[redacted]`
 *   (redaction runs on the whole value, before it is cut, so no prefix of one survives).
 * Pure.
 */
import { redactSecrets, REDACTED } from "../connections";

export const SUMMARY_MAX_KEYS = 10;
export const SUMMARY_MAX_VALUE_CHARS = 80;
const MAX_KEY_CHARS = 40;
/**
 * Key names that hold credentials whatever the connection (an agent may pass its own),
 * matched on the key's last word once camelCase is split: `accessToken` → `access_token`.
 */
const CREDENTIAL_KEY = /(^|[-_ ])(pass(word|phrase)?|secret|token|key|auth|authorization|cookie|credentials?|signature)$/;

/** Key → short text. A key beyond the tenth is counted under `…`. */
export type ArgumentSummary = Record<string, string>;

/** Summarizes `args` (the call's arguments) with `secrets` (the connection's credentials) redacted. */
export function summarizeArguments(args: unknown, secrets: string[]): ArgumentSummary {
  const masked = maskCredentialKeys(args);
  if (masked === null || typeof masked !== "object" || Array.isArray(masked)) return { arguments: shortText(masked, secrets) };
  const entries = Object.entries(masked);
  const summary: ArgumentSummary = {};
  for (const [key, value] of entries.slice(0, SUMMARY_MAX_KEYS)) summary[cut(redactSecrets(key, secrets), MAX_KEY_CHARS)] = shortText(value, secrets);
  if (entries.length > SUMMARY_MAX_KEYS) summary["…"] = `${entries.length - SUMMARY_MAX_KEYS} more`;
  return summary;
}

function shortText(value: unknown, secrets: string[]): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return cut(redactSecrets(text, secrets), SUMMARY_MAX_VALUE_CHARS);
}

function maskCredentialKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskCredentialKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, namesCredential(key) ? REDACTED : maskCredentialKeys(inner)]));
  }
  return value;
}

function namesCredential(key: string): boolean {
  return CREDENTIAL_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase());
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
