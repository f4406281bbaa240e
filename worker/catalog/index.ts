export { catalogIndex, getTool, listIntegrationSummaries, type IndexEntry, type IntegrationSummary } from "./store";
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
export { rankEntries, searchEntry, words, type SearchEntry } from "./search";
export { ToolError, type Tool, type SourceTool, type ToolErrorCode, type InvokeContext, type DefaultPolicy, type JsonObjectSchema } from "./tool";
export { validateArguments } from "./validate-arguments";
export { renderSignature } from "./typescript-signature";
