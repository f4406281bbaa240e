/**
 * What an integration offers a person who connects with OAuth: which provider's OAuth apps
 * fit it and which scopes to offer, with those to tick by default. It comes from the
 * integration's config (a preset's provider and scopes; a Google source's declared scopes)
 * or from the authorization endpoint its spec declares. Pure.
 */
import { providerOfEndpoint } from "../connections";
import type { IntegrationRow, OAuthProviderId } from "../db";
import { oauthEndpointsOf, type SecurityScheme } from "../sources";

/** What a person connecting with OAuth is offered. */
export interface OAuthOffer {
  /** The provider whose apps fit, or null when any app may (an unknown authorization server). */
  provider: OAuthProviderId | null;
  /** Every scope the source declares, the defaults first. */
  scopes: string[];
  /** The scopes a connection asks for unless the person chooses: the preset's. */
  defaultScopes: string[];
}

/** The integration's OAuth offer, or null when nothing says it uses OAuth. */
export function oauthOfferOf(integration: IntegrationRow): OAuthOffer | null {
  const config = integration.config ?? {};
  const endpoints = oauthEndpointsOf((config.securitySchemes ?? {}) as Record<string, SecurityScheme>);
  const declaredProvider = endpoints ? providerOfEndpoint(endpoints.authorizationUrl) : null;
  const provider = (config.oauthProvider as OAuthProviderId | undefined) ?? (integration.kind === "google" ? "google" : declaredProvider);
  const defaultScopes = (config.defaultScopes as string[] | undefined) ?? [];
  const declared = (config.scopes as string[] | undefined) ?? endpoints?.scopes ?? [];
  if (!provider && !endpoints && defaultScopes.length === 0) return null;
  return { provider: provider ?? null, scopes: [...new Set([...defaultScopes, ...declared])], defaultScopes };
}
