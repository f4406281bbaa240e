/**
 * A connection's `auth` object as the API receives it (docs/integrations.md): its JSON Schema,
 * which the routes check it against, and the split of a checked value into what may be shown
 * (type, settings, a masked hint) and what must be encrypted (the secret part). Pure.
 */

export type AuthType = "none" | "apiKey" | "bearer" | "basic" | "headers" | "oauth2";

/** What `AUTH_INPUT_SCHEMA` admits. */
export type AuthInput =
  | { type: "none" }
  | { type: "apiKey"; key: string; name?: string; in?: "header" | "query" | "cookie" }
  | { type: "bearer"; token: string }
  | { type: "basic"; username: string; password: string }
  | { type: "headers"; headers: Record<string, string> }
  | { type: "oauth2"; grant: "client_credentials"; clientId: string; clientSecret: string; tokenUrl?: string; scopes?: string[] }
  | { type: "oauth2"; grant: "authorization_code"; clientId?: string; clientSecret?: string; app?: string; scopes?: string[] };

export interface ParsedAuth {
  authType: AuthType;
  settings: Record<string, unknown>;
  /** Encrypted as JSON; null when there is nothing secret. */
  secret: Record<string, unknown> | null;
  maskedHint: string | null;
}

const text = { type: "string", minLength: 1, maxLength: 8192 } as const;
const headerName = { type: "string", pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", maxLength: 256 } as const;
const scopes = { type: "array", items: { type: "string", maxLength: 512 }, maxItems: 100 } as const;
const when = (type: string, then: Record<string, unknown>) => ({ if: { properties: { type: { const: type } } }, then });

/** The JSON Schema of `auth`: one shape per `type`. */
export const AUTH_INPUT_SCHEMA = {
  type: "object",
  required: ["type"],
  properties: { type: { enum: ["none", "apiKey", "bearer", "basic", "headers", "oauth2"] } },
  allOf: [
    when("apiKey", { required: ["key"], properties: { key: text, name: headerName, in: { enum: ["header", "query", "cookie"] } } }),
    when("bearer", { required: ["token"], properties: { token: text } }),
    when("basic", { required: ["username", "password"], properties: { username: text, password: text } }),
    when("headers", { required: ["headers"], properties: { headers: { type: "object", minProperties: 1, maxProperties: 50, propertyNames: headerName, additionalProperties: text } } }),
    when("oauth2", { required: ["grant"], properties: { grant: { enum: ["client_credentials", "authorization_code"] }, scopes } }),
    {
      if: { properties: { type: { const: "oauth2" }, grant: { const: "client_credentials" } } },
      then: { required: ["clientId", "clientSecret"], properties: { clientId: text, clientSecret: text, tokenUrl: text } },
    },
    {
      // clientId/clientSecret are optional: without them the Worker registers itself (RFC 7591),
      // or the connection uses an OAuth app an admin registered (`app`, its id), never both.
      if: { properties: { type: { const: "oauth2" }, grant: { const: "authorization_code" } } },
      then: {
        properties: { clientId: text, clientSecret: text, app: { type: "string", pattern: "^app_[A-Za-z0-9]{1,40}$", description: "The id of an OAuth app (GET /api/oauth-apps)" } },
        not: { anyOf: [{ required: ["app", "clientId"] }, { required: ["app", "clientSecret"] }] },
      },
    },
  ],
} as const;

/** Splits a checked `auth` (absent: no credentials) into its stored parts. */
export function parseAuth(auth: AuthInput | undefined): ParsedAuth {
  if (auth === undefined) return { authType: "none", settings: {}, secret: null, maskedHint: null };
  switch (auth.type) {
    case "none":
      return { authType: "none", settings: {}, secret: null, maskedHint: null };
    case "apiKey":
      return { authType: "apiKey", settings: { ...(auth.name ? { name: auth.name } : {}), ...(auth.in ? { in: auth.in } : {}) }, secret: { key: auth.key }, maskedHint: mask(auth.key) };
    case "bearer":
      return { authType: "bearer", settings: {}, secret: { token: auth.token }, maskedHint: mask(auth.token) };
    case "basic":
      return { authType: "basic", settings: { username: auth.username }, secret: { password: auth.password }, maskedHint: `${auth.username}:${mask(auth.password)}` };
    case "headers": {
      const names = Object.keys(auth.headers);
      return { authType: "headers", settings: { headerNames: names }, secret: { headers: auth.headers }, maskedHint: names.join(", ") };
    }
    case "oauth2":
      if (auth.grant === "authorization_code" && auth.app) {
        // The app's client is used at each step (oauth-client.ts); nothing secret is stored yet.
        return { authType: "oauth2", settings: { grant: "authorization_code", appId: auth.app, ...(auth.scopes ? { scopes: auth.scopes } : {}) }, secret: {}, maskedHint: null };
      }
      if (auth.grant === "authorization_code") {
        return {
          authType: "oauth2",
          settings: { grant: "authorization_code", ...(auth.clientId ? { clientId: auth.clientId } : {}), scopes: auth.scopes ?? [] },
          secret: auth.clientSecret ? { clientSecret: auth.clientSecret } : {},
          maskedHint: auth.clientId ?? null,
        };
      }
      return {
        authType: "oauth2",
        settings: { grant: "client_credentials", clientId: auth.clientId, ...(auth.tokenUrl ? { tokenUrl: auth.tokenUrl } : {}), scopes: auth.scopes ?? [] },
        secret: { clientSecret: auth.clientSecret },
        maskedHint: `${auth.clientId}:${mask(auth.clientSecret)}`,
      };
  }
}

/** `ghp_abcdef123x9Q` → `ghp_…x9Q`: recognisable, not usable. Short secrets show nothing. */
export function mask(secret: string | undefined): string {
  if (!secret) return "";
  if (secret.length < 12) return "…";
  return `${secret.slice(0, 4)}…${secret.slice(-3)}`;
}
