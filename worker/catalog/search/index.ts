/**
 * Tool search: what the ranker knows of a tool (document.ts), how text becomes terms
 * (terms.ts, equivalences.ts), and the index with its BM25F ranking (ranker.ts).
 */
export { searchDocumentOf, HINT_MAX_CHARS, SUMMARY_MAX_CHARS, type SearchDocument, type SearchSource } from "./document";
export { buildSearchIndex, search, type SearchHit, type SearchIndex, type SearchOptions, type SearchResult } from "./ranker";
export { termsOf } from "./terms";
export { EQUIVALENT_WORDS, equivalentsOf } from "./equivalences";
export { rankEntries, searchEntry, words, type SearchEntry } from "./legacy";
