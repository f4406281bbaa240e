/**
 * Tool search: what the ranker knows of a tool (document.ts), how text becomes terms
 * (terms.ts, equivalences.ts), the index (search-index.ts) and the two-stage ranking
 * (ranker.ts).
 */
export { searchDocumentOf, HINT_MAX_CHARS, SEARCH_DOCUMENT_VERSION, SUMMARY_MAX_CHARS, type SearchDocument, type SearchSource } from "./document";
export { buildSearchIndex, type SearchHit, type SearchIndex } from "./search-index";
export { search, type SearchOptions, type SearchResult } from "./ranker";
export { termsOf } from "./terms";
