/**
 * Security schemes and requirements, reduced to what Executor can act on: an API key in a
 * header, query or cookie; HTTP bearer or basic; OAuth 2 with its URLs and scopes. Anything
 * else (OpenID Connect, mutual TLS, HTTP digest) is kept as `unsupported` with a reason, so
 * the console can say why it cannot connect. It does not obtain or store credentials.
 */
import { isObject, readField, readString, type JsonObject } from "./json-value";
import { resolveObject } from "./refs";
import type { SecurityScheme } from "./tool";

/** OAuth 2 flows in order of preference: a user's authorization first, then machine credentials. */
const OAUTH2_FLOW_ORDER = ["authorizationCode", "clientCredentials", "password", "implicit"];

/** The document's `components.securitySchemes`, by name. */
export function readSecuritySchemes(document: JsonObject): Record<string, SecurityScheme> {
  const schemes = readField(readField(document, "components"), "securitySchemes");
  if (!isObject(schemes)) return {};
  return Object.fromEntries(Object.entries(schemes).map(([name, raw]) => [name, convertScheme(resolveObject(document, raw))]));
}

/**
 * Security requirement objects as alternatives of scheme names. A requirement list that
 * allows only anonymous access (`[{}]`) is public, `[]`.
 */
export function readSecurityRequirements(requirements: unknown): string[][] {
  if (!Array.isArray(requirements)) return [];
  const alternatives = requirements.filter(isObject).map((requirement) => Object.keys(requirement));
  return alternatives.every((names) => names.length === 0) ? [] : alternatives;
}

function convertScheme(scheme: JsonObject | undefined): SecurityScheme {
  const type = readString(readField(scheme, "type"));
  if (!scheme || !type) return { type: "unsupported", description: "The security scheme is missing or malformed." };
  if (type === "apiKey") {
    const name = readString(scheme.name);
    const location = scheme.in;
    if (name && (location === "header" || location === "query" || location === "cookie")) return { type: "apiKey", name, in: location };
    return { type: "unsupported", description: "The API key scheme does not say where the key goes." };
  }
  if (type === "http") {
    const httpScheme = readString(scheme.scheme)?.toLowerCase();
    if (httpScheme === "bearer" || httpScheme === "basic") return { type: "http", scheme: httpScheme };
    return { type: "unsupported", description: `HTTP ${httpScheme ?? "(unnamed)"} authentication is not supported.` };
  }
  if (type === "oauth2") return convertOAuth2(scheme);
  return { type: "unsupported", description: `${type} security schemes are not supported.` };
}

function convertOAuth2(scheme: JsonObject): SecurityScheme {
  const flows = readField(scheme, "flows");
  const flowName = OAUTH2_FLOW_ORDER.find((name) => isObject(readField(flows, name)));
  if (!flowName) return { type: "unsupported", description: "The OAuth 2 scheme declares no flow." };
  const flow = readField(flows, flowName) as JsonObject;
  const converted: SecurityScheme = { type: "oauth2", scopes: isObject(flow.scopes) ? Object.keys(flow.scopes) : [] };
  const tokenUrl = readString(flow.tokenUrl);
  const authorizationUrl = readString(flow.authorizationUrl);
  if (tokenUrl) converted.tokenUrl = tokenUrl;
  if (authorizationUrl) converted.authorizationUrl = authorizationUrl;
  return converted;
}
