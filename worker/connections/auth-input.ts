/**
 * Reads a connection's `auth` object as the API receives it (CONTRACT: Connection `auth`
 * shapes) and splits it into what may be shown (type, settings, a masked hint) and what must
 * be encrypted (the secret part). Pure.
 */
import { ApiError } from "../http";

export type AuthType = "none" | "apiKey" | "bearer" | "basic" | "headers" | "oauth2";

export interface ParsedAuth {
  authType: AuthType;
  settings: Record<string, unknown>;
  /** Encrypted as JSON; null when there is nothing secret. */
  secret: Record<string, unknown> | null;
  maskedHint: string | null;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Validates `auth`, or throws `invalid_request` naming each bad field. */
export function parseAuth(auth: unknown): ParsedAuth {
  if (auth === undefined) return { authType: "none", settings: {}, secret: null, maskedHint: null };
  if (!isObject(auth)) throw invalid([{ field: "auth", problem: "must be an object with a type" }]);
  const problems: { field: string; problem: string }[] = [];
  const text = (field: string, required = true): string | undefined => {
    const value = auth[field];
    if (value === undefined && !required) return undefined;
    if (typeof value !== "string" || value === "" || value.length > 8192) {
      problems.push({ field: `auth.${field}`, problem: "a non-empty string" });
      return undefined;
    }
    return value;
  };
  let parsed: ParsedAuth;
  switch (auth.type) {
    case "none":
      parsed = { authType: "none", settings: {}, secret: null, maskedHint: null };
      break;
    case "apiKey": {
      const key = text("key");
      const name = text("name", false);
      const location = auth.in;
      if (location !== undefined && location !== "header" && location !== "query" && location !== "cookie") {
        problems.push({ field: "auth.in", problem: "header, query or cookie" });
      }
      if (name !== undefined && !HEADER_NAME.test(name)) problems.push({ field: "auth.name", problem: "a header or parameter name" });
      parsed = { authType: "apiKey", settings: { ...(name ? { name } : {}), ...(location ? { in: location } : {}) }, secret: { key }, maskedHint: mask(key) };
      break;
    }
    case "bearer": {
      const token = text("token");
      parsed = { authType: "bearer", settings: {}, secret: { token }, maskedHint: mask(token) };
      break;
    }
    case "basic": {
      const username = text("username");
      const password = text("password");
      parsed = { authType: "basic", settings: { username }, secret: { password }, maskedHint: `${username ?? ""}:${mask(password)}` };
      break;
    }
    case "headers": {
      const headers = auth.headers;
      if (!isObject(headers) || Object.keys(headers).length === 0) {
        problems.push({ field: "auth.headers", problem: "an object of header names to values" });
      } else {
        for (const [name, value] of Object.entries(headers)) {
          if (!HEADER_NAME.test(name) || typeof value !== "string") problems.push({ field: `auth.headers.${name}`, problem: "a header name with a string value" });
        }
      }
      const names = isObject(headers) ? Object.keys(headers) : [];
      parsed = { authType: "headers", settings: { headerNames: names }, secret: { headers }, maskedHint: names.join(", ") };
      break;
    }
    case "oauth2": {
      const scopes = auth.scopes;
      if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === "string"))) {
        problems.push({ field: "auth.scopes", problem: "a list of strings" });
      }
      if (auth.grant === "authorization_code") {
        // clientId/clientSecret are optional: without them the Worker registers itself (RFC 7591).
        const clientId = text("clientId", false);
        const clientSecret = text("clientSecret", false);
        parsed = {
          authType: "oauth2",
          settings: { grant: "authorization_code", ...(clientId ? { clientId } : {}), scopes: scopes ?? [] },
          secret: clientSecret ? { clientSecret } : {},
          maskedHint: clientId ?? null,
        };
        break;
      }
      if (auth.grant !== "client_credentials") problems.push({ field: "auth.grant", problem: "client_credentials or authorization_code" });
      const clientId = text("clientId");
      const clientSecret = text("clientSecret");
      const tokenUrl = text("tokenUrl", false);
      parsed = {
        authType: "oauth2",
        settings: { grant: "client_credentials", clientId, ...(tokenUrl ? { tokenUrl } : {}), scopes: scopes ?? [] },
        secret: { clientSecret },
        maskedHint: `${clientId ?? ""}:${mask(clientSecret)}`,
      };
      break;
    }
    default:
      problems.push({ field: "auth.type", problem: "one of none, apiKey, bearer, basic, headers, oauth2" });
      parsed = { authType: "none", settings: {}, secret: null, maskedHint: null };
  }
  if (problems.length > 0) throw invalid(problems);
  return parsed;
}

/** `ghp_abcdef123x9Q` → `ghp_…x9Q`: recognisable, not usable. Short secrets show nothing. */
export function mask(secret: string | undefined): string {
  if (!secret) return "";
  if (secret.length < 12) return "…";
  return `${secret.slice(0, 4)}…${secret.slice(-3)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(problems: { field: string; problem: string }[]): ApiError {
  return new ApiError("invalid_request", problems.map((p) => `${p.field}: ${p.problem}`).join("; "), { details: problems });
}
