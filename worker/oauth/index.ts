/**
 * The OAuth 2.0 protocol client: finding authorization servers, PKCE, dynamic client
 * registration and the token endpoint. It keeps no state; connections/ owns flows and tokens.
 */
export { discoverForResource, discoverAuthServer, type AuthServerMetadata } from "./discovery";
export { registerClient, requestTokens, type ClientAuth, type TokenProtocol, type TokenResult, type TokenSet } from "./token-endpoint";
export { challengeFor, randomToken, sha256Hex } from "./pkce";
export { requireSecureEndpoint } from "./endpoint-check";
