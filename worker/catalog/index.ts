/**
 * The catalog: every tool (the built-in `executor` ones and every integration's), the search
 * index over them, who may see which, their JSON Schema validation and TypeScript signatures.
 */
export { catalogIndex, getTool, listIntegrationSummaries, type IndexEntry, type IntegrationSummary } from "./store";
export { rankEntries, searchEntry, words, type SearchEntry } from "./search";
export { visibleTools, type VisibleTool, type VisibleToolsQuery } from "./visible-tools";
export { BUILTIN_INTEGRATION, BUILTIN_TOOLS } from "./builtin-tools";
export type { Tool, SourceTool, InvokeContext, DefaultPolicy, JsonObjectSchema } from "./tool";
export { validateArguments } from "./validate-arguments";
export { renderSignature } from "./typescript-signature";
