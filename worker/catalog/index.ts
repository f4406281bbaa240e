export { catalogIndex, getTool, listIntegrationSummaries, type IndexEntry, type IntegrationSummary } from "./store";
export { rankEntries, searchEntry, words, type SearchEntry } from "./search";
export { ToolError, type Tool, type SourceTool, type ToolErrorCode, type InvokeContext, type DefaultPolicy, type JsonObjectSchema } from "./tool";
export { validateArguments } from "./validate-arguments";
export { renderSignature } from "./typescript-signature";
