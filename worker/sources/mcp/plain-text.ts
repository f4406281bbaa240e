/**
 * Cleans text an upstream MCP server chose (tool descriptions, server names, error texts)
 * before Executor shows it anywhere. The upstream is not trusted: control characters could
 * rewrite a terminal or a log line, and bidirectional and invisible format characters can
 * make text read differently from what it is (Trojan Source, CVE-2021-42574). It does not
 * judge what the text says, render markdown or escape HTML (whoever renders it does).
 */

/** `value` on one line without control or invisible characters, at most `maxChars` long (plus "…" when cut); "" for a non-string. */
export function plainText(value: unknown, maxChars: number): string {
  if (typeof value !== "string") return "";
  const flat = value.replace(INVISIBLE, "").replace(/[\s\p{Cc}]+/gu, " ").trim();
  if (flat.length <= maxChars) return flat;
  const head = flat.slice(0, maxChars);
  // Cut at a word when one ends in the second half; never inside a surrogate pair.
  const wordEnd = head.lastIndexOf(" ");
  const cut = wordEnd >= maxChars / 2 ? head.slice(0, wordEnd) : head.replace(/[\uD800-\uDBFF]$/, "");
  return `${cut.replace(/[\s,;:.]+$/, "")}…`;
}

// --- private ---

/**
 * Bidirectional embeddings, overrides and isolates; zero-width and joiner characters; the
 * byte-order mark; and the line and paragraph separators that JavaScript does not count
 * as whitespace in every context.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFEFF]/g;
