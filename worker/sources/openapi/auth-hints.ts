/**
 * What an OpenAPI spec says about credentials, reduced to the hints connections act on: where
 * an API key goes (the operation's own schemes first, then the spec's) and which token and
 * authorization endpoints its OAuth 2 flows name. Pure.
 */
import type { SecurityScheme } from "./tool";

/** The credential hints for one operation. */
export function authHintsOf(
  schemes: Record<string, SecurityScheme>,
  operationSecurity: string[][],
): { apiKey?: { name: string; in: "header" | "query" | "cookie" }; tokenUrl?: string } {
  const hints: { apiKey?: { name: string; in: "header" | "query" | "cookie" }; tokenUrl?: string } = {};
  for (const name of [...operationSecurity.flat(), ...Object.keys(schemes)]) {
    const scheme = schemes[name];
    if (scheme?.type === "apiKey") {
      hints.apiKey = { name: scheme.name, in: scheme.in };
      break;
    }
  }
  const tokenUrl = Object.values(schemes).find((scheme) => scheme.type === "oauth2" && scheme.tokenUrl);
  if (tokenUrl?.type === "oauth2" && tokenUrl.tokenUrl) hints.tokenUrl = tokenUrl.tokenUrl;
  return hints;
}

/** The authorization-code endpoints a spec declares, or null when it declares none. */
export function oauthEndpointsOf(schemes: Record<string, SecurityScheme>): { authorizationUrl: string; tokenUrl: string; scopes: string[] } | null {
  for (const scheme of Object.values(schemes)) {
    if (scheme.type === "oauth2" && scheme.authorizationUrl && scheme.tokenUrl) {
      return { authorizationUrl: scheme.authorizationUrl, tokenUrl: scheme.tokenUrl, scopes: scheme.scopes };
    }
  }
  return null;
}
