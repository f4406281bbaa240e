/**
 * Shortens spec prose (summaries, descriptions) for agents: one line, markdown links reduced
 * to their label, cut at a sentence or word boundary. It does not render or strip other markdown.
 */

/** `text` on one line and at most `maxChars` long (plus an ellipsis when cut); "" for a non-string. */
export function shortenText(text: unknown, maxChars: number): string {
  if (typeof text !== "string") return "";
  const flat = text.replace(/!?\[([^\]\n]*)\]\([^)\s]*\)/g, "$1").replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat;
  const head = flat.slice(0, maxChars);
  // Prefer a whole sentence, as long as it keeps at least half the budget. One character
  // more is searched so that a sentence ending exactly at the limit is found.
  const probe = flat.slice(0, maxChars + 1);
  const sentenceEnd = Math.max(probe.lastIndexOf(". "), probe.lastIndexOf("! "), probe.lastIndexOf("? "));
  if (sentenceEnd >= maxChars / 2) return head.slice(0, sentenceEnd + 1);
  const wordEnd = head.lastIndexOf(" ");
  return (wordEnd >= maxChars / 2 ? head.slice(0, wordEnd) : head).replace(/[\s,;:.]+$/, "") + "…";
}
