export { addIntegration, refreshIntegration, removeIntegration, type AddIntegrationInput } from "./manage";
export { listIntegrationRows, requireIntegration, updateIntegration, type ToolDiff } from "./store";
export { readOpenApi, fetchSpecText, MAX_SPEC_BYTES } from "./openapi";
export { checkSlug, deriveSlug } from "./slug";
