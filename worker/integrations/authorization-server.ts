/**
 * Where an integration's OAuth authorization server is, as its source tells: an MCP server
 * announces it (RFC 9728), an OpenAPI spec declares its endpoints in an oauth2 scheme.
 */
import type { AuthorizationServerHint } from "../connections";
import type { IntegrationRow } from "../db";
import { ExecutorError } from "../errors";
import { oauthEndpointsOf, type SecurityScheme } from "../sources";

/** The hint for authorization-code connections to `integration`, or `invalid_request` when it has none. */
export function authorizationServerOf(integration: IntegrationRow): AuthorizationServerHint {
  if (integration.kind === "mcp" && integration.sourceUrl) return { kind: "resource", resourceUrl: integration.sourceUrl };
  const endpoints = oauthEndpointsOf((integration.config?.securitySchemes ?? {}) as Record<string, SecurityScheme>);
  if (!endpoints) throw new ExecutorError("invalid_request", `${integration.slug} declares no OAuth authorization-code flow`);
  return { kind: "declared", authorizationUrl: endpoints.authorizationUrl, tokenUrl: endpoints.tokenUrl, baseUrl: integration.baseUrl };
}
