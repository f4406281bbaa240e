/**
 * Catalog search: pure ranking over a compact in-memory index. Words in a tool's address
 * weigh more than words in its description; camelCase and plural forms are split and folded
 * so "create an issue comment" finds `github.issues.createComment`.
 * No FTS5: `wrangler d1 export` refuses databases with virtual tables, and backups matter more.
 */

export interface SearchEntry {
  address: string;
  integration: string;
  description: string;
  /** Folded words of the address and of the description. */
  nameWords: Set<string>;
  descriptionWords: Set<string>;
}

const STOP_WORDS = new Set(["a", "an", "the", "to", "of", "for", "in", "on", "and", "or", "with", "by", "from", "my", "me", "all", "is", "it", "this", "that", "be", "as", "at"]);

/** Builds the index entry for a tool. */
export function searchEntry(address: string, integration: string, description: string): SearchEntry {
  return {
    address,
    integration,
    description,
    nameWords: new Set(words(address)),
    descriptionWords: new Set(words(description.slice(0, 2000))),
  };
}

/** Entries ranked for `query`, best first; an empty query lists everything by address. */
export function rankEntries<T extends SearchEntry>(entries: readonly T[], query: string): T[] {
  const terms = [...new Set(words(query))].filter((term) => !STOP_WORDS.has(term));
  if (terms.length === 0) return [...entries].sort((a, b) => a.address.localeCompare(b.address));
  const scored: { entry: T; score: number }[] = [];
  for (const entry of entries) {
    let score = 0;
    let nameHits = 0;
    for (const term of terms) {
      if (entry.nameWords.has(term)) {
        score += 4;
        nameHits += 1;
      } else if (term.length >= 3 && someStartsWith(entry.nameWords, term)) {
        score += 2;
        nameHits += 1;
      } else if (entry.descriptionWords.has(term)) {
        score += 1;
      }
    }
    if (score === 0) continue;
    if (nameHits === terms.length) score += 3;
    if (entry.address.toLowerCase().includes(query.trim().toLowerCase().replace(/\s+/g, "."))) score += 2;
    scored.push({ entry, score });
  }
  scored.sort((a, b) => b.score - a.score || a.entry.address.length - b.entry.address.length || a.entry.address.localeCompare(b.entry.address));
  return scored.map(({ entry }) => entry);
}

/** Lower-cased words, camelCase and snake_case split, simple plural/verb endings folded. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "")
    .map(fold);
}

function fold(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

function someStartsWith(set: Set<string>, prefix: string): boolean {
  for (const word of set) if (word.startsWith(prefix)) return true;
  return false;
}
