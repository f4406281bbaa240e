export { discoverForResource, discoverAuthServer, type AuthServerMetadata } from "./discovery";
export { startAuthorization, completeAuthorization, authorizationCodeToken, STATE_TTL_MS, type AuthorizationCodeSettings } from "./authorization-code";
export { registerClient, requestTokens, type ClientAuth, type TokenSet } from "./token-endpoint";
export { prepareAuthorizationCode, CALLBACK_PATH } from "./connect";
