export { addIntegration, refreshIntegration, removeIntegration, type AddIntegrationInput } from "./manage";
export { listIntegrationRows, requireIntegration, updateIntegration, type ToolDiff } from "./store";
export { readOpenApi, fetchSpecText, MAX_SPEC_BYTES } from "./openapi";
export { checkSlug, deriveSlug } from "./slug";
export { testConnection, type ConnectionTestResult } from "./test-connection";
export { detectSource, type Detection } from "./detect";
