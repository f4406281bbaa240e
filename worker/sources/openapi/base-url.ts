/**
 * The base URL tools are called at: the first server, its variables set to their defaults,
 * resolved against the URL the spec was fetched from when it is relative. It does not choose
 * between several servers or check that the URL is reachable.
 */
import { isObject, readField, readString } from "./json-value";

/** An absolute http(s) URL without a trailing slash, or null when none can be made. */
export function resolveBaseUrl(servers: unknown, specUrl: string | undefined): string | null {
  const server = Array.isArray(servers) ? servers.find(isObject) : undefined;
  // OpenAPI: with no servers, the default is "/", i.e. the spec's own origin.
  const template = readString(readField(server, "url")) ?? "/";
  const variables = readField(server, "variables");
  const url = template.replace(/\{([^}]*)\}/g, (_placeholder, name: string) => variableDefault(readField(variables, name)));
  return normaliseBaseUrl(url, specUrl);
}

/** `url` (resolved against `specUrl` when relative) as an absolute http(s) URL without a trailing slash; null otherwise. */
export function normaliseBaseUrl(url: string, specUrl?: string): string | null {
  let parsed: URL;
  try {
    parsed = specUrl === undefined ? new URL(url) : new URL(url, specUrl);
  } catch {
    return null;
  }
  // Tools are called with fetch over HTTP; any other scheme cannot be a base URL.
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  parsed.hash = "";
  return parsed.href.replace(/\/+$/, "");
}

function variableDefault(variable: unknown): string {
  const value = readField(variable, "default");
  if (typeof value === "string" || typeof value === "number") return String(value);
  const options = readField(variable, "enum");
  return Array.isArray(options) && options.length > 0 ? String(options[0]) : "";
}
