/**
 * Connections: credentialed instances of an integration, and everything that turns a call's
 * connection into credentials (choosing it, OAuth tokens and their refresh, applying the auth
 * to a request, redacting it from what the program sees), and the OAuth apps connections
 * use with their providers' quirks. docs/integrations.md.
 */
export { parseAuth, mask, AUTH_INPUT_SCHEMA, type AuthInput, type ParsedAuth, type AuthType } from "./auth-input";
export {
  createConnection,
  listConnections,
  deleteConnection,
  deleteIntegrationConnections,
  noteConnectionUse,
  connectionNames,
  SHARED_OWNER,
  type ConnectionView,
  type StoredConnection,
} from "./store";
export { applyAuth, NO_AUTH, type AppliedAuth, type AuthHints } from "./apply-auth";
export { credentialsForCall, renewCredentials, resolveConnection, connectionSecretValues, type CallCredentials } from "./credentials";
export { rotateSecretKeys, secretKeyStatus, type SecretKeyStatus } from "./key-rotation";
export { forgetToken } from "./oauth-tokens";
export type { AuthorizationCodeSettings } from "./oauth-client";
export {
  prepareAuthorizationCode,
  prepareAppAuthorization,
  startAuthorization,
  completeAuthorization,
  CALLBACK_PATH,
  STATE_TTL_MS,
  type AuthorizationServerHint,
} from "./authorization";
export {
  createOAuthApp,
  listOAuthApps,
  getOAuthApp,
  updateOAuthApp,
  deleteOAuthApp,
  OAUTH_APP_INPUT_SCHEMA,
  OAUTH_APP_PATCH_SCHEMA,
  type OAuthAppInput,
  type OAuthAppChanges,
  type OAuthAppView,
} from "./oauth-apps";
export { OAUTH_PROVIDERS, OAUTH_PROVIDER_IDS, providerOfEndpoint, type OAuthProvider } from "./oauth-providers";
export { redactSecrets, redactBinarySecrets, REDACTED } from "./redact";
