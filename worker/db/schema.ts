/**
 * The database schema: the single source of truth. drizzle-kit generates the SQL in
 * migrations/ from this file (`npm run db:generate`); never edit a migration once it lands.
 * Times are epoch milliseconds.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Every identity the Worker has seen through Access (or the local developer). */
export const identities = sqliteTable("identities", {
  id: text("id").primaryKey(),
  kind: text("kind").$type<"user" | "service">().notNull(),
  email: text("email"),
  commonName: text("common_name"),
  name: text("name"),
  groups: text("groups", { mode: "json" }).$type<string[]>(),
  firstSeenAt: integer("first_seen_at").notNull(),
  lastSeenAt: integer("last_seen_at").notNull(),
});

/**
 * Encrypted secrets (credentials, tokens). `ciphertext` is the versioned AES-GCM form from
 * secrets/secret-box.ts, bound to the row's id; plaintext never touches this table. Its
 * `v2.<key id>.` prefix names the key that sealed it, so what is left to re-seal after a key
 * rotation is counted in SQL (secrets/rotation.ts).
 */
export const secrets = sqliteTable("secrets", {
  id: text("id").primaryKey(),
  ciphertext: text("ciphertext").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  /**
   * The key ids (`<current>:<previous>`) under which this value opened with neither key, or
   * null. Re-sealing skips it until the configured keys change; any write clears it.
   */
  unreadableUnder: text("unreadable_under"),
});

export type IdentityRow = typeof identities.$inferSelect;
export type SecretRow = typeof secrets.$inferSelect;

/** What an integration's tools are read from: an OpenAPI document, a GraphQL endpoint, an MCP server or a Google Discovery document. */
export type IntegrationKind = "openapi" | "graphql" | "mcp" | "google";

/** Integrations: a source of tools (the built-in `executor` one is not stored). */
export const integrations = sqliteTable("integrations", {
  slug: text("slug").primaryKey(),
  kind: text("kind").$type<IntegrationKind>().notNull(),
  name: text("name").notNull(),
  description: text("description"),
  sourceUrl: text("source_url"),
  baseUrl: text("base_url"),
  /** Source-specific settings (JSON). */
  config: text("config", { mode: "json" }).$type<Record<string, unknown>>(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** One row per tool; `invocation` is what the source needs to call it (JSON). */
export const tools = sqliteTable(
  "tools",
  {
    address: text("address").primaryKey(),
    integration: text("integration").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    inputSchema: text("input_schema", { mode: "json" }).notNull(),
    outputSchema: text("output_schema", { mode: "json" }),
    defaultPolicy: text("default_policy").$type<"allow" | "approve">().notNull(),
    invocation: text("invocation", { mode: "json" }),
    /**
     * What tool search indexes (catalog/search/document.ts), built once when the tool is
     * stored so an isolate never reads every input schema to build its index. `version` is
     * SEARCH_DOCUMENT_VERSION when it was built; an older or missing one is rebuilt.
     */
    searchDocument: text("search_document", { mode: "json" }).$type<{ version: number }>(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("tools_integration").on(table.integration)],
);

/** Ordered policy rules; the first pattern that matches a tool address decides. */
export const policies = sqliteTable("policies", {
  id: text("id").primaryKey(),
  pattern: text("pattern").notNull(),
  action: text("action").$type<"allow" | "approve" | "block">().notNull(),
  position: integer("position").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * A person's own rules over the executions they own (docs/agents.md, Personal rules). They
 * only tighten the organization's policy, so their action is `approve` or `block` and their
 * order does not matter: a call gets the strictest of every rule that matches it.
 */
export const personalPolicies = sqliteTable(
  "personal_policies",
  {
    id: text("id").primaryKey(),
    /** The identity whose executions the rule applies to (`user:<email>`). */
    owner: text("owner").notNull(),
    pattern: text("pattern").notNull(),
    action: text("action").$type<"approve" | "block">().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("personal_policies_owner").on(table.owner)],
);

/** A toolkit's rule: like a personal rule, it can only tighten. */
export interface ToolkitRule {
  pattern: string;
  action: "approve" | "block";
}

/** Who may use a toolkit's endpoint; absent lists match nobody. */
export interface ToolkitMembers {
  emails?: string[];
  /** Access groups, for people. */
  groups?: string[];
  /** Service tokens' `common_name` (their client id), for agents. */
  serviceTokens?: string[];
}

/**
 * Toolkits: a named slice of the catalog with its own MCP endpoint (`/mcp/toolkits/<slug>`),
 * optional rules that tighten the policy there, and optionally who may use it
 * (docs/agents.md, Toolkits). `members` null: everyone who passes the gate.
 */
export const toolkits = sqliteTable("toolkits", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  description: text("description"),
  /** Policy patterns of the tools that exist in the toolkit. */
  include: text("include", { mode: "json" }).$type<string[]>().notNull(),
  policies: text("policies", { mode: "json" }).$type<ToolkitRule[]>().notNull(),
  members: text("members", { mode: "json" }).$type<ToolkitMembers>(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type ToolkitRow = typeof toolkits.$inferSelect;

/**
 * Change counters for what isolates cache (`catalog`; `policies`, which also counts changes
 * to personal rules and toolkits, since both feed the policy decision): a write bumps its counter
 * in the same batch, and a reader that sees a new value reloads. Cross-isolate consistency
 * without a cache service.
 */
export const revisions = sqliteTable("revisions", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});

/** The outcome of one pause's approval notification, shown on the execution. */
export interface NotificationOutcome {
  /** The paused call it announced. */
  callId: number;
  status: "sent" | "failed" | "skipped";
  attempts: number;
  /** When the last attempt ended (epoch ms). */
  at: number;
  /** Why it failed or was skipped; names a host at most, never a webhook's path. */
  error?: string;
}

/** How an execution failed; `details` only for the errors that say where to fix them (a set-up URL). */
export interface ExecutionError {
  code: string;
  message: string;
  details?: unknown;
}

export type ExecutionStatus = "running" | "paused" | "completed" | "failed" | "cancelled" | "expired";

/** Every execution: who ran what, and how it ended. `version` guards state changes (CAS). */
export const executions = sqliteTable(
  "executions",
  {
    id: text("id").primaryKey(),
    identityId: text("identity_id").notNull(),
    identityLabel: text("identity_label").notNull(),
    code: text("code").notNull(),
    status: text("status").$type<ExecutionStatus>().notNull(),
    /** JSON text of the result (or a large-text reference). */
    result: text("result"),
    error: text("error", { mode: "json" }).$type<ExecutionError>(),
    /** JSON array of log lines (or a large-text reference). */
    logs: text("logs"),
    /** Replay determinism: Math.random's seed and the Date the program sees. */
    seed: integer("seed").notNull(),
    startTime: integer("start_time").notNull(),
    /** Where the console lives, for approval links. */
    origin: text("origin").notNull(),
    pausedSeq: integer("paused_seq"),
    expiresAt: integer("expires_at"),
    version: integer("version").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    durationMs: integer("duration_ms"),
    /** How the approval notification of the latest pause went (notifications/). */
    notification: text("notification", { mode: "json" }).$type<NotificationOutcome>(),
    /** The toolkit it was started in (null: the whole catalogue); a resume applies it again. */
    toolkit: text("toolkit"),
  },
  (table) => [
    index("executions_identity").on(table.identityId, table.createdAt),
    index("executions_created").on(table.createdAt),
    index("executions_status").on(table.status),
    index("executions_toolkit").on(table.toolkit, table.createdAt),
  ],
);

export type CallStatus = "in_flight" | "ok" | "error" | "awaiting_approval" | "declined";

/** What an approval binds to besides the call itself (see `executionCalls.binding`). */
export interface CallBinding {
  /** The connection the call resolves to, or null for a call with no credentials. */
  connection: { id: string; name: string; shared: boolean; credentialVersion: number } | null;
  /** A fingerprint of the tool's definition: what it calls and where (method, URL template, base URL). */
  toolRevision: string;
}

/** The journal of an execution's host calls, in program order: replay answers from it. */
export const executionCalls = sqliteTable(
  "execution_calls",
  {
    executionId: text("execution_id").notNull(),
    seq: integer("seq").notNull(),
    kind: text("kind").$type<"tool" | "search" | "describe">().notNull(),
    address: text("address"),
    /** The exact arguments as JSON text (or a large-text reference): a decision binds to them. */
    args: text("args").notNull(),
    connection: text("connection"),
    /**
     * The call options besides the connection (`{"response":"full"}`) as canonical JSON, as
     * the program gave them; null when it gave none. Replay compares it like `args`.
     */
    options: text("options"),
    /**
     * For a call held for a human: what it will run with, fixed when it paused (the resolved
     * connection, its owner and credential version, the tool's definition). A resume sends it
     * only if all of it is unchanged.
     */
    binding: text("binding", { mode: "json" }).$type<CallBinding>(),
    policy: text("policy").$type<"allow" | "approve" | "block">(),
    status: text("status").$type<CallStatus>().notNull(),
    /** JSON text of the reply the program saw (or a large-text reference). */
    reply: text("reply"),
    decision: text("decision").$type<"approved" | "declined">(),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (table) => [primaryKey({ columns: [table.executionId, table.seq] })],
);

/** Values too large for one D1 row, split into parts. */
export const largeTexts = sqliteTable(
  "large_texts",
  {
    key: text("key").notNull(),
    part: integer("part").notNull(),
    data: text("data").notNull(),
  },
  (table) => [primaryKey({ columns: [table.key, table.part] })],
);

export type ToolRow = typeof tools.$inferSelect;
export type PolicyRow = typeof policies.$inferSelect;
export type ExecutionRow = typeof executions.$inferSelect;
export type ExecutionCallRow = typeof executionCalls.$inferSelect;
export type IntegrationRow = typeof integrations.$inferSelect;

export type ConnectionStatus = "ok" | "expiring" | "needs_reauth" | "rejected";

/**
 * Credentialed instances of an integration, keyed by (integration, owner, name); owner is
 * `shared` or the identity that made it. The credentials live encrypted in `secrets` under
 * `secretId`; this row holds only what may be shown (auth type, masked hint, settings).
 */
export const connections = sqliteTable(
  "connections",
  {
    id: text("id").primaryKey(),
    integration: text("integration").notNull(),
    owner: text("owner").notNull(),
    name: text("name").notNull(),
    authType: text("auth_type").notNull(),
    /** Non-secret settings: header/parameter names, scopes, grant. */
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** e.g. `ghp_…x9Q`: enough to recognise a credential, never enough to use it. */
    maskedHint: text("masked_hint"),
    secretId: text("secret_id"),
    /** Bumped whenever the credentials are replaced (a new authorisation); approvals bind to it. */
    credentialVersion: integer("credential_version").notNull().default(1),
    status: text("status").$type<ConnectionStatus>().notNull(),
    lastUsedAt: integer("last_used_at"),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [uniqueIndex("connections_key").on(table.integration, table.owner, table.name)],
);

export type ConnectionRow = typeof connections.$inferSelect;

/**
 * Pending OAuth authorization-code flows. The row is keyed by a hash of `state`, so the
 * state itself (a bearer of the flow) is never stored; the PKCE verifier is sealed like any
 * secret. Single use: completing the flow deletes the row.
 */
export const oauthStates = sqliteTable("oauth_states", {
  stateHash: text("state_hash").primaryKey(),
  connectionId: text("connection_id").notNull(),
  identityId: text("identity_id").notNull(),
  sealedVerifier: text("sealed_verifier").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  expiresAt: integer("expires_at").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** The OAuth providers whose endpoints and protocol quirks are known (connections/oauth-providers.ts). */
export type OAuthProviderId = "google" | "microsoft" | "github" | "slack" | "atlassian" | "generic";

/**
 * OAuth apps (clients) an admin registered once with a provider, which authorization-code
 * connections use by id: the person only consents. The client secret lives encrypted in
 * `secrets` under `secretId`; this row holds what may be shown. `authorizationUrl` and
 * `tokenUrl` are null for a named provider's defaults; `settings` holds the provider's own
 * fields (Microsoft's `tenant`, Slack's `botScopes`).
 */
export const oauthApps = sqliteTable("oauth_apps", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  provider: text("provider").$type<OAuthProviderId>().notNull(),
  authorizationUrl: text("authorization_url"),
  tokenUrl: text("token_url"),
  clientId: text("client_id").notNull(),
  secretId: text("secret_id"),
  /** The client secret's first and last characters. */
  maskedHint: text("masked_hint"),
  /** Scopes every connection through this app asks for (besides its own, or its integration's). */
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  /** Extra parameters on the authorization URL. */
  extraParams: text("extra_params", { mode: "json" }).$type<Record<string, string>>().notNull(),
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type OAuthAppRow = typeof oauthApps.$inferSelect;

/**
 * Settings an admin changes in the console, by name (e.g. `approval_webhook`). `value` holds
 * only what may be shown; anything secret lives sealed in `secrets` under `setting:<name>`.
 */
export const settings = sqliteTable("settings", {
  name: text("name").primaryKey(),
  value: text("value", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type SettingRow = typeof settings.$inferSelect;

/**
 * URL-mode elicitations /mcp sent and is waiting on (docs/agents.md, Approvals in the
 * client). The client answers with a separate POST that any isolate may receive, so the
 * answer meets the waiting call here. `action` is null until the client answers.
 */
export const mcpElicitations = sqliteTable("mcp_elicitations", {
  id: text("id").primaryKey(),
  /** The identity the elicitation was sent to: only its answer counts. */
  identityId: text("identity_id").notNull(),
  action: text("action").$type<"accept" | "decline" | "cancel">(),
  expiresAt: integer("expires_at").notNull(),
  createdAt: integer("created_at").notNull(),
});
