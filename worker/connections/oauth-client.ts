/**
 * The client an authorization-code connection speaks as, for its flow and its refreshes:
 * either its own (the client id in its settings, a secret in its sealed credentials, endpoints
 * found when it was made) or an OAuth app's, read at the moment of use, so that an admin's
 * change to the app (a rotated secret, a new tenant) applies to every connection at once.
 * For an app, the provider's quirks come along as data: authorization parameters, how scopes
 * are named and joined, how the token endpoint wants the client and where the token is.
 */
import type { Database } from "../db";
import type { ErrorCode } from "../errors";
import type { TokenProtocol } from "../oauth";
import type { SecretKeys } from "../secrets";
import { loadOAuthAppClient } from "./oauth-apps";
import { scopeParameters } from "./oauth-providers";

/**
 * What an authorization-code connection keeps in its (non-secret) settings: its own client
 * and endpoints, or the id of the OAuth app whose client and endpoints it uses (read when
 * needed, below).
 */
export interface AuthorizationCodeSettings {
  grant: "authorization_code";
  /** The OAuth app this connection uses; then the three fields below are absent. */
  appId?: string;
  clientId?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  scopes: string[];
  redirectUri: string;
  /** RFC 8707 resource indicator (the MCP server's URL), when the upstream is an MCP server. */
  resource?: string;
}

/** Who the flow speaks as and where: the client, its endpoints and the provider's quirks. */
export interface FlowClient {
  clientId: string;
  clientSecret?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  protocol: TokenProtocol;
  /** Parameters of the authorization URL besides the flow's own (state, PKCE, redirect): scopes and the provider's. */
  authorizationParams: Record<string, string>;
}

/**
 * The client of a connection whose settings and opened secret are given. `code` is the
 * error for an app that is gone or unusable (`invalid_request` while connecting,
 * `no_connection` on a call).
 */
export async function flowClientFor(
  db: Database,
  keys: SecretKeys,
  settings: AuthorizationCodeSettings,
  secret: { clientSecret?: string },
  allowLocalNetwork: boolean,
  code: ErrorCode,
): Promise<FlowClient> {
  if (settings.appId) {
    const app = await loadOAuthAppClient(db, keys, settings.appId, allowLocalNetwork, code);
    return {
      clientId: app.clientId,
      ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}),
      authorizationEndpoint: app.authorizationEndpoint,
      tokenEndpoint: app.tokenEndpoint,
      protocol: app.provider.tokenProtocol,
      authorizationParams: { ...app.provider.authorizationParams, ...app.extraParams, ...scopeParameters(app.provider, settings.scopes, app.botScopes) },
    };
  }
  return {
    clientId: settings.clientId!,
    ...(secret.clientSecret ? { clientSecret: secret.clientSecret } : {}),
    authorizationEndpoint: settings.authorizationEndpoint!,
    tokenEndpoint: settings.tokenEndpoint!,
    protocol: {},
    authorizationParams: settings.scopes.length > 0 ? { scope: settings.scopes.join(" ") } : {},
  };
}
