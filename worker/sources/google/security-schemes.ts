/**
 * How a Google API is authorised: OAuth 2 with Google's endpoints and the scopes the document
 * declares (`auth.oauth2.scopes`), or an API key in the `key` query parameter (public data
 * only). Discovery documents name scopes but no endpoints, so the endpoints are Google's
 * published ones. It does not obtain tokens; the connections module does.
 */
import { isObject, readField, type JsonObject } from "../openapi/json-value";
import type { SecurityScheme } from "../openapi";

/**
 * Google's authorization endpoint. `access_type=offline` asks for a refresh token and
 * `prompt=consent` makes Google issue one again on a repeated consent; without them a
 * connection would stop working after an hour. RFC 6749 §3.1 lets the endpoint URI carry a
 * query that clients keep when they add theirs, which ours does (`URL.searchParams.set`).
 */
export const GOOGLE_AUTHORIZATION_URL = "https://accounts.google.com/o/oauth2/v2/auth?access_type=offline&prompt=consent";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

/** Either scheme authorises every method: OAuth for a person's data, a key for public data. */
export const GOOGLE_SECURITY: string[][] = [["oauth2"], ["apiKey"]];

/** The scopes the document declares, in its order. */
export function readScopes(document: JsonObject): string[] {
  const scopes = readField(readField(readField(document, "auth"), "oauth2"), "scopes");
  return isObject(scopes) ? Object.keys(scopes) : [];
}

/** The schemes `GOOGLE_SECURITY` names, in the OpenAPI source's shape. */
export function googleSecuritySchemes(scopes: string[]): Record<string, SecurityScheme> {
  return {
    oauth2: { type: "oauth2", authorizationUrl: GOOGLE_AUTHORIZATION_URL, tokenUrl: GOOGLE_TOKEN_URL, scopes },
    apiKey: { type: "apiKey", name: "key", in: "query" },
  };
}
