/**
 * The credentials for one call, whatever the source: pick the connection (named, personal,
 * shared default), open its sealed credentials, get a current OAuth token when it has one,
 * and apply them. Sources then put `auth` on their request and redact `auth.secrets`.
 */
import type { Caller } from "../auth";
import { ToolError } from "../catalog";
import { applyAuth, clientCredentialsToken, loadCredentials, resolveConnection, type AppliedAuth, type StoredConnection } from "../connections";
import type { Database } from "../db";
import { ApiError } from "../http";
import { authorizationCodeToken } from "../oauth";
import type { SecurityScheme } from "./openapi";

export const NO_AUTH: AppliedAuth = { headers: {}, query: {}, cookies: {}, secrets: [] };

export interface CallCredentials {
  connection: StoredConnection | null;
  auth: AppliedAuth;
}

/**
 * Resolves and applies the connection for a call to `integration`. `schemes`/`security`
 * come from an OpenAPI spec (for apiKey names and token URLs); other sources pass none.
 */
export async function callCredentials(
  db: Database,
  caller: Caller,
  integration: { slug: string; baseUrl: string | null },
  connectionName: string | null,
  schemes: Record<string, SecurityScheme> = {},
  security: string[][] = [],
): Promise<CallCredentials> {
  let connection: StoredConnection | null;
  try {
    connection = await resolveConnection(db, integration.slug, connectionName, caller.identity);
  } catch (error) {
    if (error instanceof ApiError) throw new ToolError("no_connection", error.message);
    throw error;
  }
  if (!connection) return { connection: null, auth: NO_AUTH };
  const { secretKey, allowLocalNetwork } = caller.config;
  const credentials = await loadCredentials(secretKey, connection);
  let accessToken: string | undefined;
  if (connection.authType === "oauth2" && connection.settings.grant === "authorization_code") {
    accessToken = await authorizationCodeToken(db, secretKey, connection, allowLocalNetwork);
  } else if (connection.authType === "oauth2") {
    const tokenUrl = (connection.settings.tokenUrl as string | undefined) ?? oauthTokenUrl(schemes);
    if (!tokenUrl) throw new ToolError("no_connection", "The OAuth connection has no token URL and the source declares none");
    accessToken = await clientCredentialsToken(
      db,
      secretKey,
      {
        connectionId: connection.id,
        tokenUrl: new URL(tokenUrl, integration.baseUrl ?? undefined).href,
        clientId: String(connection.settings.clientId),
        clientSecret: String(credentials.clientSecret),
        scopes: (connection.settings.scopes as string[]) ?? [],
        allowLocalNetwork,
      },
      Date.now(),
    );
  }
  return { connection, auth: applyAuth({ authType: connection.authType, settings: connection.settings, credentials, accessToken }, schemes, security) };
}

function oauthTokenUrl(schemes: Record<string, SecurityScheme>): string | undefined {
  for (const scheme of Object.values(schemes)) if (scheme.type === "oauth2" && scheme.tokenUrl) return scheme.tokenUrl;
  return undefined;
}
