export { parseAuth, mask, type ParsedAuth, type AuthType } from "./auth-input";
export {
  createConnection,
  listConnections,
  deleteConnection,
  deleteIntegrationConnections,
  resolveConnection,
  loadCredentials,
  markConnectionUsed,
  connectionNeedsUpdate,
  recordTokenExpiry,
  connectionNames,
  SHARED_OWNER,
  type ConnectionView,
  type StoredConnection,
} from "./store";
export { applyAuth, type AppliedAuth, type AuthMaterial } from "./apply-auth";
export { clientCredentialsToken, forgetToken } from "./oauth-client-credentials";
export { redactSecrets, REDACTED } from "./redact";
