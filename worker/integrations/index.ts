/**
 * Integrations: adding (from a source or a preset), detecting, refreshing and removing them
 * (reading each kind of source),
 * their stored tools, and trying a connection against them. docs/integrations.md.
 */
export { addIntegration, refreshIntegration, removeIntegration, ADD_INTEGRATION_SCHEMA, MAX_ADD_INTEGRATION_BYTES, type AddIntegrationInput, type AddedIntegration } from "./manage";
export { listIntegrationRows, requireIntegration, updateIntegration, type ToolDiff } from "./store";
export { readOpenApi, fetchSpecText, MAX_SPEC_BYTES } from "./openapi";
export { checkSlug, deriveSlug } from "./slug";
export { testConnection, type ConnectionTestResult } from "./test-connection";
export { detectSource, type Detection } from "./detect";
export { authorizationServerOf } from "./authorization-server";
export { oauthOfferOf, type OAuthOffer } from "./oauth-offer";
