/**
 * Preparing an authorization-code connection: where its authorization server is (the
 * OpenAPI spec's oauth2 scheme, or the MCP server's published metadata), which client id to
 * use (the given one, else one registered dynamically), and the Worker's callback URL.
 */
import type { ParsedAuth } from "../connections";
import type { Config } from "../config";
import type { IntegrationRow } from "../db/schema";
import { ApiError } from "../http";
import type { SecurityScheme } from "../sources/openapi";
import type { AuthorizationCodeSettings } from "./authorization-code";
import { discoverAuthServer, discoverForResource } from "./discovery";
import { registerClient } from "./token-endpoint";

export const CALLBACK_PATH = "/api/oauth/callback";

/** Fills in endpoints, client and callback for an `oauth2` / `authorization_code` connection. */
export async function prepareAuthorizationCode(auth: ParsedAuth, integration: IntegrationRow, origin: string, config: Config): Promise<ParsedAuth> {
  const redirectUri = `${origin}${CALLBACK_PATH}`;
  let authorizationEndpoint: string;
  let tokenEndpoint: string;
  let registrationEndpoint: string | undefined;
  let resource: string | undefined;
  if (integration.kind === "mcp" && integration.sourceUrl) {
    const metadata = await discoverForResource(integration.sourceUrl, config);
    ({ authorizationEndpoint, tokenEndpoint, registrationEndpoint } = metadata);
    resource = integration.sourceUrl;
  } else {
    const schemes = (integration.config?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
    const scheme = Object.values(schemes).find((candidate) => candidate.type === "oauth2" && candidate.authorizationUrl && candidate.tokenUrl);
    if (!scheme || scheme.type !== "oauth2") throw new ApiError("invalid_request", `${integration.slug} declares no OAuth authorization-code flow`);
    authorizationEndpoint = new URL(scheme.authorizationUrl!, integration.baseUrl ?? undefined).href;
    tokenEndpoint = new URL(scheme.tokenUrl!, integration.baseUrl ?? undefined).href;
    registrationEndpoint = (await discoverAuthServer(new URL(authorizationEndpoint).origin, config))?.registrationEndpoint;
  }
  let clientId = auth.settings.clientId as string | undefined;
  const secret = { ...(auth.secret ?? {}) };
  if (!clientId) {
    if (!registrationEndpoint) {
      throw new ApiError("invalid_request", "The authorization server offers no dynamic client registration: give auth.clientId (and clientSecret)", {
        details: [{ field: "auth.clientId", problem: "required for this server" }],
      });
    }
    const registered = await registerClient(registrationEndpoint, redirectUri, config.allowLocalNetwork);
    clientId = registered.clientId;
    if (registered.clientSecret) secret.clientSecret = registered.clientSecret;
  }
  const settings: AuthorizationCodeSettings = {
    grant: "authorization_code",
    clientId,
    authorizationEndpoint,
    tokenEndpoint,
    scopes: (auth.settings.scopes as string[] | undefined) ?? [],
    redirectUri,
    ...(resource ? { resource } : {}),
  };
  return { ...auth, settings: settings as unknown as Record<string, unknown>, secret, maskedHint: clientId };
}
