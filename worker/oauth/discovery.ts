/**
 * Finding an OAuth authorization server: RFC 9728 protected-resource metadata (how MCP
 * servers announce theirs) and RFC 8414 authorization-server metadata. Every fetch goes
 * through the guarded client; metadata is untrusted input and is checked for shape.
 */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { guardedFetch } from "../outbound";

export interface AuthServerMetadata {
  issuer?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint?: string;
  scopesSupported?: string[];
}

/** The authorization server protecting an MCP server at `resourceUrl` (MCP authorization spec). */
export async function discoverForResource(resourceUrl: string, config: Config): Promise<AuthServerMetadata> {
  const resource = new URL(resourceUrl);
  const candidates = [
    `${resource.origin}/.well-known/oauth-protected-resource${resource.pathname === "/" ? "" : resource.pathname}`,
    `${resource.origin}/.well-known/oauth-protected-resource`,
  ];
  for (const url of candidates) {
    const metadata = await fetchJson(url, config);
    const servers = metadata?.authorization_servers;
    if (Array.isArray(servers) && typeof servers[0] === "string") {
      const found = await discoverAuthServer(servers[0], config);
      if (found) return found;
    }
  }
  // Older servers are their own authorization server.
  const own = await discoverAuthServer(resource.origin, config);
  if (own) return own;
  throw new ExecutorError("invalid_source", `${resourceUrl} announces no OAuth authorization server (no RFC 9728 or RFC 8414 metadata)`);
}

/** RFC 8414 metadata for an issuer, or null when it publishes none. */
export async function discoverAuthServer(issuer: string, config: Config): Promise<AuthServerMetadata | null> {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  for (const candidate of [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ]) {
    const metadata = await fetchJson(candidate, config);
    if (metadata && typeof metadata.authorization_endpoint === "string" && typeof metadata.token_endpoint === "string") {
      return {
        ...(typeof metadata.issuer === "string" ? { issuer: metadata.issuer } : {}),
        authorizationEndpoint: metadata.authorization_endpoint,
        tokenEndpoint: metadata.token_endpoint,
        ...(typeof metadata.registration_endpoint === "string" ? { registrationEndpoint: metadata.registration_endpoint } : {}),
        ...(Array.isArray(metadata.scopes_supported) ? { scopesSupported: metadata.scopes_supported.filter((s): s is string => typeof s === "string") } : {}),
      };
    }
  }
  return null;
}

async function fetchJson(url: string, config: Config): Promise<Record<string, unknown> | null> {
  try {
    const response = await guardedFetch({ url, headers: { accept: "application/json" } }, { allowLocalNetwork: config.allowLocalNetwork, timeoutMs: 10_000, maxResponseBytes: 256 * 1024 });
    if (response.status !== 200) return null;
    const body = response.json();
    return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
