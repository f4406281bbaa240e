/**
 * The OAuth providers whose endpoints and protocol quirks are known, as data: an OAuth app of
 * one of these (oauth-apps.ts) needs only a client id and secret, and the authorization URL,
 * the token request and the reading of the token answer follow from the entry here. Every
 * quirk that changes the protocol is a field, read in one place (oauth-client.ts), so no
 * `if (provider === ...)` is scattered through the flow. Pure: no I/O.
 *
 * Sources for each entry (endpoints, parameters, token lifetimes) are the providers' own
 * OAuth documentation, linked from docs/integrations.md#oauth-apps.
 */
import type { OAuthProviderId } from "../db";
import type { TokenProtocol } from "../oauth";

/** One provider: its endpoints, where apps are registered, and each quirk of its protocol. */
export interface OAuthProvider {
  id: OAuthProviderId;
  name: string;
  /** The authorization endpoint; `{tenant}` stands for the app's tenant. Null: the app names it (generic). */
  authorizationUrl: string | null;
  /** The token endpoint, likewise. */
  tokenUrl: string | null;
  /** Where an admin registers the app and its redirect URI. */
  registerAt: string | null;
  /** Parameters every authorization URL carries (the app's `extraParams` may override them). */
  authorizationParams: Readonly<Record<string, string>>;
  /** Scopes every authorization asks for besides the connection's (what makes a refresh token be issued). */
  requiredScopes: readonly string[];
  /** How scopes are joined in the authorization URL. */
  scopeSeparator: " " | ",";
  /**
   * The authorization parameter that carries the connection's scopes: `scope`, or Slack's
   * `user_scope` (scopes of the person's own token; the app's bot scopes go in `scope`).
   */
  scopeParameter: "scope" | "user_scope";
  /** Whether the app has bot scopes of its own (Slack), sent as `scope`. */
  botScopes: boolean;
  /** The token endpoint's quirks. */
  tokenProtocol: TokenProtocol;
  /** A tenant substituted for `{tenant}` in the endpoints (Microsoft): its default and what it may be. */
  tenant: { default: string; pattern: string; description: string } | null;
  /** What the person should know about the tokens' lifetime, shown by the console. */
  tokens: string;
  /** Typical scopes, shown by the console as examples. */
  exampleScopes: readonly string[];
}

/** Microsoft's tenant: `common`, `organizations`, `consumers`, a tenant id (GUID) or a verified domain. */
const TENANT_PATTERN = "^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$";

/** Every provider, by id, in the order the console lists them. */
export const OAUTH_PROVIDERS: Readonly<Record<OAuthProviderId, OAuthProvider>> = {
  google: {
    id: "google",
    name: "Google",
    authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    registerAt: "https://console.cloud.google.com/apis/credentials",
    // Without access_type=offline Google issues no refresh token, and without prompt=consent
    // it issues one only on the first consent: a reconnect would then stop after an hour.
    authorizationParams: { access_type: "offline", prompt: "consent" },
    requiredScopes: [],
    scopeSeparator: " ",
    scopeParameter: "scope",
    botScopes: false,
    tokenProtocol: { clientAuthentication: "client_secret_basic" },
    tenant: null,
    tokens: "Access tokens last an hour and are refreshed; a refresh token of an app in Testing status expires after 7 days.",
    exampleScopes: ["https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/drive.readonly"],
  },
  microsoft: {
    id: "microsoft",
    name: "Microsoft (Entra ID)",
    authorizationUrl: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    tokenUrl: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    registerAt: "https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade",
    authorizationParams: {},
    // offline_access is what makes the identity platform issue a refresh token.
    requiredScopes: ["offline_access"],
    scopeSeparator: " ",
    scopeParameter: "scope",
    botScopes: false,
    tokenProtocol: { clientAuthentication: "client_secret_post" },
    tenant: {
      default: "common",
      pattern: TENANT_PATTERN,
      description: "common (work and personal accounts), organizations, consumers, or your tenant's id or domain",
    },
    tokens: "Access tokens last about an hour and are refreshed; refresh tokens rotate.",
    exampleScopes: ["User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite", "Files.ReadWrite.All", "Chat.ReadWrite"],
  },
  github: {
    id: "github",
    name: "GitHub",
    authorizationUrl: "https://github.com/login/oauth/authorize",
    tokenUrl: "https://github.com/login/oauth/access_token",
    registerAt: "https://github.com/settings/developers",
    authorizationParams: {},
    requiredScopes: [],
    scopeSeparator: " ",
    scopeParameter: "scope",
    botScopes: false,
    // GitHub answers form-encoded unless asked for JSON: requestTokens always asks.
    tokenProtocol: { clientAuthentication: "client_secret_post" },
    tenant: null,
    tokens: "OAuth app tokens do not expire (no expires_in); GitHub App user tokens expire after 8 hours and are refreshed.",
    exampleScopes: ["repo", "read:org", "read:user"],
  },
  slack: {
    id: "slack",
    name: "Slack",
    authorizationUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    registerAt: "https://api.slack.com/apps",
    authorizationParams: {},
    requiredScopes: [],
    scopeSeparator: ",",
    // A connection acts as the person: its scopes are user scopes, and the user token is in
    // `authed_user` of the answer. Bot scopes (the app's) go in `scope`; with no user scopes
    // the connection gets the bot token at the top of the answer.
    scopeParameter: "user_scope",
    botScopes: true,
    tokenProtocol: { clientAuthentication: "client_secret_post", tokenAt: "authed_user" },
    tenant: null,
    tokens: "Tokens do not expire unless token rotation is turned on for the app (then they last 12 hours and are refreshed).",
    exampleScopes: ["channels:read", "channels:history", "chat:write", "users:read", "search:read"],
  },
  atlassian: {
    id: "atlassian",
    name: "Atlassian (Jira, Confluence)",
    authorizationUrl: "https://auth.atlassian.com/authorize",
    tokenUrl: "https://auth.atlassian.com/oauth/token",
    registerAt: "https://developer.atlassian.com/console/myapps/",
    authorizationParams: { audience: "api.atlassian.com", prompt: "consent" },
    // offline_access is what makes Atlassian issue a (rotating) refresh token.
    requiredScopes: ["offline_access"],
    scopeSeparator: " ",
    scopeParameter: "scope",
    botScopes: false,
    tokenProtocol: { clientAuthentication: "client_secret_post" },
    tenant: null,
    tokens: "Access tokens last an hour and are refreshed; refresh tokens rotate.",
    exampleScopes: ["read:jira-work", "write:jira-work", "read:jira-user", "read:confluence-content.all"],
  },
  generic: {
    id: "generic",
    name: "Other (generic OAuth 2.0)",
    authorizationUrl: null,
    tokenUrl: null,
    registerAt: null,
    authorizationParams: {},
    requiredScopes: [],
    scopeSeparator: " ",
    scopeParameter: "scope",
    botScopes: false,
    tokenProtocol: {},
    tenant: null,
    tokens: "As the server says: tokens with a lifetime are refreshed, tokens without one are kept until refused.",
    exampleScopes: [],
  },
};

/** The provider ids, in the console's order. */
export const OAUTH_PROVIDER_IDS = Object.keys(OAUTH_PROVIDERS) as OAuthProviderId[];

/**
 * A provider's endpoint with `{tenant}` filled in, or the override when the app gives one.
 * Null when neither the provider nor the app names one (a generic app must).
 */
export function providerEndpoint(provider: OAuthProvider, which: "authorizationUrl" | "tokenUrl", override: string | null, tenant: string | null): string | null {
  const template = override ?? provider[which];
  if (template === null) return null;
  const value = tenant ?? provider.tenant?.default ?? "";
  return template.replaceAll("{tenant}", encodeURIComponent(value));
}

/**
 * The authorization URL's scope parameters: the provider's required scopes and the
 * connection's, joined the provider's way, under its parameter; Slack's bot scopes under
 * `scope`. Duplicates are dropped; the order is kept.
 */
export function scopeParameters(provider: OAuthProvider, scopes: readonly string[], botScopes: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  const wanted = [...new Set([...provider.requiredScopes, ...scopes])];
  if (wanted.length > 0) params[provider.scopeParameter] = wanted.join(provider.scopeSeparator);
  if (provider.botScopes && botScopes.length > 0) params.scope = [...new Set(botScopes)].join(provider.scopeSeparator);
  return params;
}

/** The named provider whose authorization endpoint this is (a spec's declared one), or null. */
export function providerOfEndpoint(url: string): OAuthProviderId | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  for (const provider of Object.values(OAUTH_PROVIDERS)) {
    if (provider.authorizationUrl && new URL(provider.authorizationUrl.replace("{tenant}", "common")).hostname === host) return provider.id;
  }
  return null;
}
