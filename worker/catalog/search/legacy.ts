/**
 * The previous search API (`searchEntry`, `rankEntries`, `words`), kept only so that today's
 * callers (catalog/store.ts, executions/host-bridge.ts, api/tools.ts) run on the new ranker
 * until they move to `buildSearchIndex` / `search`; then this file goes. Entries carry only
 * the address and description, so the route and parameter fields stay empty here.
 */
import { searchDocumentOf, type SearchDocument } from "./document";
import { search } from "./ranker";
import { buildSearchIndex, type SearchIndex } from "./search-index";
import { wordsOf } from "./terms";

/** @deprecated Use `searchDocumentOf`. */
export interface SearchEntry {
  address: string;
  integration: string;
  description: string;
  document: SearchDocument;
}

/** @deprecated Use `searchDocumentOf`. */
export function searchEntry(address: string, integration: string, description: string): SearchEntry {
  return { address, integration, description, document: searchDocumentOf({ address, integration, description, inputSchema: null, invocation: null }) };
}

let last: { entries: readonly SearchEntry[]; index: SearchIndex } | undefined;

/** @deprecated Use `buildSearchIndex` once per catalog revision, then `search`. Entries ranked for `query`, best first; an empty query lists everything by address. */
export function rankEntries<T extends SearchEntry>(entries: readonly T[], query: string): T[] {
  // The index is rebuilt only when the entries change (a new catalog revision or filter).
  if (!last || last.entries.length !== entries.length || last.entries.some((entry, i) => entry !== entries[i])) {
    last = { entries, index: buildSearchIndex(entries.map((entry) => entry.document)) };
  }
  const byAddress = new Map(entries.map((entry) => [entry.address, entry]));
  return search(last.index, query).hits.map((hit) => byAddress.get(hit.address)!);
}

/** @deprecated Lower-cased words of `text`, identifiers split. */
export function words(text: string): string[] {
  return wordsOf(text);
}
