/**
 * What a preset is: a ready-made integration for a service teams use (its real spec or
 * endpoint URL, how it authenticates, which of its tools are reads, and which policies are
 * worth adding), as plain data. Types only; the catalogue is catalogue.ts.
 */
import type { OAuthProviderId } from "../db";

/** The kinds of source a preset can be (the integration kinds). */
export type PresetKind = "openapi" | "graphql" | "mcp" | "google";

/**
 * One way to authenticate, in the catalogue's order of preference:
 * - `oauth2` with a `provider`: an OAuth app of that provider (GET /api/oauth-apps), asking
 *   for `scopes` unless the person chooses others;
 * - `oauth2` with `discovery`: the MCP server names its authorization server and the Worker
 *   registers itself there (RFC 7591), so no app is needed;
 * - `bearer`, `apiKey` (with the header it goes in) or `basic`: a credential the person pastes.
 */
export type PresetAuth =
  | { type: "oauth2"; provider: OAuthProviderId; scopes: readonly string[] }
  | { type: "oauth2"; discovery: true }
  | { type: "bearer"; hint: string }
  | { type: "apiKey"; name: string; in: "header" | "query"; hint: string }
  | { type: "basic"; hint: string };

/** A policy worth adding with the preset: `pattern` is relative to the integration's slug. */
export interface SuggestedPolicy {
  pattern: string;
  action: "allow" | "approve" | "block";
  /** Why, in a sentence the console shows. */
  reason: string;
}

/** One ready-made integration. */
export interface Preset {
  /** The preset's id and the integration's default slug. */
  id: string;
  name: string;
  kind: PresetKind;
  /** How the console groups the cards. */
  category: "Developer tools" | "Work and chat" | "Google Workspace" | "Microsoft 365";
  description: string;
  /** The OpenAPI document, the Discovery document, the GraphQL endpoint or the MCP server. */
  url: string;
  /**
   * GraphQL only: where the schema is read (SDL or an introspection result) when the endpoint
   * answers introspection only with credentials. Calls still go to `url`.
   */
  schemaUrl?: string;
  /**
   * When the base URL depends on the account (a Jira site, an Atlassian cloud id), what the
   * admin must give as `baseUrl`; the preset cannot be added without it.
   */
  baseUrlHint?: string;
  /** OpenAPI only: the slice of a large spec that is imported (path globs, sources/openapi/path-filter.ts). */
  include?: readonly string[];
  exclude?: readonly string[];
  /** OpenAPI only: parameters that carry the credential the connection already sends. */
  omitParameters?: readonly string[];
  auth: readonly PresetAuth[];
  /** How the preset's reads are told apart from its writes (reads run at once, writes wait for approval). */
  reads: string;
  policies: readonly SuggestedPolicy[];
  /** Where `url` comes from: the provider's documentation or repository. */
  source: string;
}
