/**
 * The catalog: every tool (the built-in `executor` ones and every integration's), the search
 * index over them, who may see which, their JSON Schema validation and TypeScript signatures.
 */
export { catalogIndex, getTool, listIntegrationSummaries, storedSearchDocument, type CatalogIndex, type IntegrationSummary, type StoredSearchDocument } from "./store";
export {
  buildSearchIndex,
  search,
  searchDocumentOf,
  HINT_MAX_CHARS,
  SEARCH_DOCUMENT_VERSION,
  SUMMARY_MAX_CHARS,
  termsOf,
  type SearchDocument,
  type SearchHit,
  type SearchIndex,
  type SearchOptions,
  type SearchResult,
  type SearchSource,
} from "./search";
export { visibleTools, type VisibleTool, type VisibleToolsQuery } from "./visible-tools";
export { BUILTIN_INTEGRATION, BUILTIN_TOOLS } from "./builtin-tools";
export type { Tool, SourceTool, InvokeContext, DefaultPolicy, JsonObjectSchema, ResponseMode, FullResponse } from "./tool";
export { validateArguments } from "./validate-arguments";
export { renderSignature } from "./typescript-signature";
