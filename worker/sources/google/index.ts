/**
 * Google source: turns a Google Discovery document (Gmail, Calendar, Drive, ...) into tools
 * shaped like the OpenAPI source's, so `buildRequest` and the OpenAPI invoker call them.
 * Pure functions only; fetching documents, storing tools and connecting belong to the callers.
 */
export { importGoogleDiscovery } from "./import-discovery";
export { GOOGLE_AUTHORIZATION_URL, GOOGLE_TOKEN_URL } from "./security-schemes";
export type { GoogleImport } from "./tool";
