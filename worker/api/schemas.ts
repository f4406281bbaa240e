/**
 * The JSON Schemas of what the API answers, and the pieces routes share (the list shape, the
 * error body, paging parameters). Route files use them in their `response` and `query`;
 * openapi-document.ts publishes the named ones under `components/schemas`, and
 * test/api/schemas.test.ts checks real answers against them. Data only: the views
 * themselves are built by the folders that own them (executions/views.ts,
 * connections/store.ts, ...); a change there needs its schema changed here, or that test fails.
 */
import { API_ERROR_STATUS } from "../errors";
import { AUTH_INPUT_SCHEMA, OAUTH_APP_INPUT_SCHEMA, OAUTH_PROVIDER_IDS } from "../connections";
import { EXECUTION_VIEW_SCHEMA } from "../executions";
import { ADD_INTEGRATION_SCHEMA } from "../integrations";
import { FLOOR_ACTIONS, PATTERN_SCHEMA, POLICY_ACTIONS } from "../policies";
import { TOOLKIT_SLUG_PATTERN } from "../toolkits";
import type { ExecutionStatus } from "../db";
import type { JsonSchema, QueryParameter } from "./route";

const text = { type: "string" } as const;
const nullableText = { type: ["string", "null"] } as const;
const time = { type: "string", format: "date-time" } as const;
const nullableTime = { type: ["string", "null"], format: "date-time" } as const;
const count = { type: "integer", minimum: 0 } as const;
const texts = { type: "array", items: text } as const;
/** Any JSON value (a program's result, a tool's arguments). */
const anyValue = {} as const;

/** A closed object: every property listed, `required` as given. */
function object(properties: Record<string, unknown>, required: readonly string[] = Object.keys(properties), extra: Record<string, unknown> = {}): JsonSchema {
  return { type: "object", required, additionalProperties: false, properties, ...extra };
}

/** The list shape of docs/api.md: `{items, total, nextOffset}` (`nextOffset` null on the last page). */
export function listOf(item: JsonSchema): JsonSchema {
  return object({ items: { type: "array", items: item }, total: count, nextOffset: { type: ["integer", "null"], minimum: 0 } });
}

/** The error body of docs/api.md, for every error status. */
export const ERROR_BODY = object({
  error: object(
    {
      code: { enum: Object.keys(API_ERROR_STATUS) },
      message: text,
      details: { description: "For invalid input, `[{field, problem}]`; other errors may carry other details" },
    },
    ["code", "message"],
  ),
});

/** `limit` and `offset` of a paged list (docs/api.md#bodies-and-lists). */
export const PAGE_QUERY: readonly QueryParameter[] = [
  { name: "limit", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 }, description: "How many items (1 to 100)" },
  { name: "offset", schema: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }, description: "How many items to skip" },
];

/** `?shared=true`: the shared connection rather than the caller's own. */
export const SHARED_QUERY: QueryParameter = {
  name: "shared",
  schema: { type: "boolean", default: false },
  description: "The shared connection (admins) instead of your personal one",
};

export const IDENTITY = object(
  {
    id: { ...text, description: "`user:<email>` or `service:<common name>`" },
    kind: { enum: ["user", "service"] },
    email: text,
    name: text,
    groups: texts,
    roles: { type: "array", items: { enum: ["admin", "approver"] } },
    org: object({ name: text, slug: text }),
  },
  ["id", "kind", "roles", "org"],
);

/** Where a secret-key rotation stands (connections/key-rotation.ts). */
export const KEY_ROTATION = object({
  keyRotation: { enum: ["none", "in_progress", "done"], description: "done: nothing is left under EXECUTOR_SECRET_KEY_PREVIOUS, which may be removed" },
  remaining: { ...count, description: "Secrets still sealed under the previous key" },
  unreadable: { ...count, description: "Secrets that open with neither key (their connections need re-authorising)" },
});

export const RESEAL_REPORT = object({ resealed: count, remaining: count, unreadable: count });

export const STATUS = object(
  {
    version: text,
    migrations: object({ applied: count, latest: count, pending: texts }),
    config: object({ ok: { type: "boolean" }, missing: texts, accessConfigured: { type: "boolean" } }),
    secrets: KEY_ROTATION,
  },
  ["version", "migrations", "config"],
);

/** Loosely: the document is checked against the OpenAPI 3.1 schema in its own test. */
export const OPENAPI_DOCUMENT: JsonSchema = {
  type: "object",
  required: ["openapi", "info", "paths"],
  properties: { openapi: { type: "string", pattern: "^3\\.1\\." }, info: { type: "object" }, paths: { type: "object" }, components: { type: "object" } },
};

const sourceKind = { enum: ["openapi", "graphql", "mcp", "google"] } as const;
const providerId = { enum: OAUTH_PROVIDER_IDS } as const;
const policyAction = { enum: [...POLICY_ACTIONS] } as const;

export const INTEGRATION_SUMMARY = object({ slug: text, kind: { enum: ["builtin", "openapi", "graphql", "mcp", "google"] }, name: text, toolCount: count });

/** presets/preset.ts `SuggestedPolicy`; in an added integration's answer the pattern starts with its slug. */
const SUGGESTED_POLICY = object({ pattern: PATTERN_SCHEMA, action: policyAction, reason: text });

export const ADDED_INTEGRATION = object(
  {
    slug: text,
    kind: sourceKind,
    name: text,
    toolCount: count,
    needsConnection: { const: true, description: "An MCP server that lists its tools only with credentials" },
    preset: { ...text, description: "The preset it was added from" },
    suggestedPolicies: { type: "array", items: SUGGESTED_POLICY, description: "Rules the preset suggests, not created: POST each to /api/policies to add it" },
  },
  ["slug", "kind", "name", "toolCount"],
);

export const DETECTION = object({ kind: sourceKind, name: text, toolCount: count }, ["kind"]);

export const TOOL_DIFF = object({ added: texts, removed: texts, changed: texts });

const connectionProperties = {
  id: text,
  integration: text,
  name: text,
  shared: { type: "boolean" },
  authType: { enum: ["none", "apiKey", "bearer", "basic", "headers", "oauth2"] },
  settings: { type: "object", description: "What may be shown of the credentials (never a secret)" },
  maskedHint: { ...nullableText, description: "The secret's first and last characters" },
  status: { enum: ["ok", "expiring", "needs_reauth", "rejected"] },
  lastUsedAt: nullableTime,
  createdBy: text,
  createdAt: time,
};

/** connections/store.ts `ConnectionView`: what anyone may see of a connection. */
export const CONNECTION = object(connectionProperties);

/** A new connection; an OAuth authorization-code one also carries where to send the person. */
export const NEW_CONNECTION = object(
  { ...connectionProperties, authorizationUrl: { type: "string", format: "uri" } },
  Object.keys(connectionProperties),
);

export const AUTHORIZATION_URL = object({ authorizationUrl: { type: "string", format: "uri" } });

export const CONNECTION_TEST = object({ ok: { type: "boolean" }, status: { type: "integer", description: "The upstream's HTTP status" }, message: text }, ["ok", "message"]);

/** integrations/oauth-offer.ts `OAuthOffer`: what a person connecting with OAuth is offered. */
const OAUTH_OFFER = object(
  {
    provider: { anyOf: [providerId, { type: "null" }], description: "Whose OAuth apps fit (GET /api/oauth-apps); null: any" },
    scopes: { ...texts, description: "Every scope the source declares, the defaults first" },
    defaultScopes: { ...texts, description: "Asked for unless the person or the app chooses others" },
  },
  ["provider", "scopes", "defaultScopes"],
);

export const INTEGRATION = object({
  slug: text,
  kind: sourceKind,
  name: text,
  description: nullableText,
  sourceUrl: nullableText,
  baseUrl: nullableText,
  toolCount: count,
  oauth: { anyOf: [OAUTH_OFFER, { type: "null" }], description: "What OAuth connections are offered, when the integration uses OAuth" },
  connections: { type: "array", items: CONNECTION },
  createdAt: time,
  updatedAt: time,
});

/** connections/oauth-apps.ts `OAuthAppView` with the redirect URI to register: never the secret. */
export const OAUTH_APP = object({
  id: text,
  name: text,
  provider: providerId,
  authorizationUrl: { type: "string", format: "uri", description: "The endpoint in effect (the provider's, tenant filled in, unless overridden)" },
  tokenUrl: { type: "string", format: "uri" },
  clientId: text,
  maskedHint: { ...nullableText, description: "The client secret's first and last characters; null without a secret" },
  scopes: texts,
  extraParams: { type: "object", additionalProperties: text },
  tenant: { ...nullableText, description: "Microsoft: the tenant in the endpoints" },
  botScopes: { ...texts, description: "Slack: the bot's scopes" },
  connectionCount: count,
  redirectUri: { type: "string", format: "uri", description: "What to register with the provider: this deployment's /api/oauth/callback" },
  createdBy: text,
  createdAt: time,
  updatedAt: time,
});

/** connections/oauth-providers.ts `OAuthProvider`: the provider's defaults and quirks, as the console shows them. */
export const OAUTH_PROVIDER = object({
  id: providerId,
  name: text,
  authorizationUrl: { ...nullableText, description: "`{tenant}` stands for the app's tenant; null: the app names it" },
  tokenUrl: nullableText,
  registerAt: { ...nullableText, description: "Where to register the app" },
  authorizationParams: { type: "object", additionalProperties: text },
  requiredScopes: texts,
  scopeSeparator: { enum: [" ", ","] },
  scopeParameter: { enum: ["scope", "user_scope"] },
  botScopes: { type: "boolean" },
  tokenProtocol: object(
    { clientAuthentication: { enum: ["client_secret_basic", "client_secret_post"] }, tokenAt: { ...text, description: "Where the person's token is in the token answer (Slack: authed_user)" } },
    [],
  ),
  tenant: { anyOf: [object({ default: text, pattern: text, description: text }), { type: "null" }] },
  tokens: text,
  exampleScopes: texts,
  redirectUri: { type: "string", format: "uri" },
});

const PRESET_AUTH = {
  oneOf: [
    object({ type: { const: "oauth2" }, provider: providerId, scopes: texts }),
    object({ type: { const: "oauth2" }, discovery: { const: true } }),
    object({ type: { const: "bearer" }, hint: text }),
    object({ type: { const: "apiKey" }, name: text, in: { enum: ["header", "query"] }, hint: text }),
    object({ type: { const: "basic" }, hint: text }),
  ],
} as const;

/** presets/preset.ts `Preset`. */
export const PRESET = object(
  {
    id: text,
    name: text,
    kind: sourceKind,
    category: text,
    description: text,
    url: { type: "string", format: "uri" },
    schemaUrl: { type: "string", format: "uri" },
    baseUrlHint: { ...text, description: "When set, POST /api/integrations needs baseUrl" },
    include: texts,
    exclude: texts,
    omitParameters: texts,
    auth: { type: "array", items: PRESET_AUTH, description: "Ways to connect, preferred first" },
    reads: text,
    policies: { type: "array", items: SUGGESTED_POLICY },
    source: text,
  },
  ["id", "name", "kind", "category", "description", "url", "auth", "reads", "policies", "source"],
);

const toolPolicy = {
  defaultPolicy: { enum: ["allow", "approve"] },
  policy: { enum: [...POLICY_ACTIONS], description: "The effective policy: the first matching rule, else the default" },
  policyRule: { ...nullableText, description: "The rule that decided, null for the default" },
};

export const TOOL_SUMMARY = object({ address: text, integration: text, description: text, ...toolPolicy });

export const TOOL = object({
  address: text,
  integration: text,
  description: text,
  input: { type: "object", description: "The JSON Schema of the arguments" },
  output: { type: ["object", "null"], description: "The JSON Schema of the result, when known" },
  typescript: { ...text, description: "The tool as a TypeScript signature" },
  ...toolPolicy,
});

export const POLICY = object({ id: text, pattern: PATTERN_SCHEMA, action: { enum: [...POLICY_ACTIONS] }, position: count, createdBy: text, createdAt: time });

/** A rule that can only tighten (a toolkit's, a person's): `approve` or `block`. */
const floorAction = { enum: [...FLOOR_ACTIONS], description: "Only tightening actions: allow would loosen nothing" } as const;

/** One of the caller's personal rules (policies/personal-store.ts). */
export const PERSONAL_POLICY = object({ id: text, pattern: PATTERN_SCHEMA, action: floorAction, createdAt: time });

const nameList = (what: string) => ({ type: "array", maxItems: 500, items: { type: "string", minLength: 1, maxLength: 320 }, description: what }) as const;

/** Who may use a toolkit; null: everyone who passes the gate. */
export const TOOLKIT_MEMBERS = {
  anyOf: [
    { type: "null" },
    object(
      {
        emails: nameList("People, by email (case-insensitive)"),
        groups: nameList("People, by Access group"),
        serviceTokens: nameList("Agents, by their service token's common_name (its client id)"),
      },
      [],
    ),
  ],
  description: "Who may use the toolkit (any list matches); null: everyone. Lists that are all empty admit nobody.",
} as const;

const toolkitFields = {
  name: { type: "string", minLength: 1, maxLength: 200, pattern: "\\S" },
  description: { type: ["string", "null"], maxLength: 4000 },
  include: { type: "array", minItems: 1, maxItems: 100, items: PATTERN_SCHEMA, description: "The tools that exist in the toolkit: policy patterns" },
  policies: { type: "array", maxItems: 100, items: object({ pattern: PATTERN_SCHEMA, action: floorAction }), description: "Rules that tighten the policy in the toolkit" },
  members: TOOLKIT_MEMBERS,
};

/** The body of POST /api/toolkits. */
export const NEW_TOOLKIT = object({ slug: { type: "string", pattern: TOOLKIT_SLUG_PATTERN }, ...toolkitFields }, ["slug", "name", "include"]);

/** The body of PATCH /api/toolkits/:slug: any of the fields. */
export const TOOLKIT_CHANGE = object(toolkitFields, []);

/** A toolkit as the API shows it (api/toolkits.ts). */
export const TOOLKIT = object({
  slug: text,
  name: text,
  description: nullableText,
  include: { type: "array", items: PATTERN_SCHEMA },
  policies: { type: "array", items: object({ pattern: PATTERN_SCHEMA, action: floorAction }) },
  members: TOOLKIT_MEMBERS,
  mcpUrl: { type: "string", format: "uri", description: "The toolkit's MCP endpoint" },
  mayUse: { type: "boolean", description: "Whether the caller may use it" },
  createdBy: text,
  createdAt: time,
  updatedAt: time,
});

/** db/schema.ts `ExecutionStatus`. */
export const EXECUTION_STATUS: JsonSchema = { enum: ["running", "paused", "completed", "failed", "cancelled", "expired"] satisfies ExecutionStatus[] };
const executionStatus = EXECUTION_STATUS;
const executionError = EXECUTION_VIEW_SCHEMA.properties.error;

/** executions/views.ts `ExecutionView`: what `execute` and `resume` answer (docs/agents.md); defined there, where /mcp reads it too. */
export const EXECUTION_RESULT: JsonSchema = EXECUTION_VIEW_SCHEMA;

export const EXECUTION_SUMMARY = object({
  id: text,
  identityId: text,
  identityLabel: text,
  status: executionStatus,
  error: { anyOf: [executionError, { type: "null" }] },
  toolkit: { ...nullableText, description: "The toolkit it was started in (null: the whole catalogue)" },
  createdAt: time,
  finishedAt: nullableTime,
  durationMs: { type: ["integer", "null"], minimum: 0 },
  codePreview: { ...text, description: "The program's first 200 characters" },
});

const executionCall = object(
  {
    callId: count,
    kind: { enum: ["tool", "search", "describe"] },
    tool: nullableText,
    args: anyValue,
    connection: { ...nullableText, description: "The connection the call named, or (held for approval) the one it resolved to" },
    connectionShared: { type: "boolean", description: "For a call held for approval: whether that connection is the shared one" },
    options: { ...anyValue, description: "The call options besides the connection, as the program gave them (e.g. {\"response\":\"full\"}); absent when none" },
    policy: { enum: [...POLICY_ACTIONS, null] },
    status: { enum: ["in_flight", "ok", "error", "awaiting_approval", "declined"] },
    result: anyValue,
    error: { type: "object", required: ["code", "message"], properties: { code: text, message: text } },
    decision: { enum: ["approved", "declined", null] },
    decidedBy: nullableText,
    decidedAt: nullableTime,
    startedAt: time,
    finishedAt: nullableTime,
  },
  ["callId", "kind", "tool", "args", "connection", "policy", "status", "decision", "decidedBy", "decidedAt", "startedAt", "finishedAt"],
);

/** executions/views.ts `historyRecord`: one execution with every call. */
const webhookFormat = { enum: ["slack", "teams", "generic"] };
const webhookHint = object({ format: webhookFormat, urlHint: { ...text, description: "The URL's origin only: the rest may be a credential" }, signed: { type: "boolean" } });

/** GET /api/settings/notifications (notifications/settings.ts). */
export const NOTIFICATION_SETTINGS = object({
  source: { enum: ["console", "environment", "none"] },
  console: {
    anyOf: [object({ enabled: { type: "boolean" }, format: webhookFormat, urlHint: text, signed: { type: "boolean" }, updatedBy: text, updatedAt: time }), { type: "null" }],
  },
  environment: { anyOf: [webhookHint, { type: "null" }] },
});

export const NOTIFICATION_OUTCOME = object(
  { callId: count, status: { enum: ["sent", "failed", "skipped"] }, attempts: count, at: time, error: text },
  ["callId", "status", "attempts", "at"],
);

export const NOTIFICATION_TEST = object({ status: { enum: ["sent", "failed", "skipped"] }, attempts: count, error: text }, ["status", "attempts"]);

export const EXECUTION = object(
  {
    id: text,
    identity: object({ id: text, label: text }),
    toolkit: { ...nullableText, description: "The toolkit it was started in (null: the whole catalogue)" },
    code: text,
    status: executionStatus,
    result: anyValue,
    error: executionError,
    logs: texts,
    createdAt: time,
    finishedAt: nullableTime,
    durationMs: { type: ["integer", "null"], minimum: 0 },
    pausedCallId: { type: ["integer", "null"], minimum: 0 },
    expiresAt: nullableTime,
    notification: { anyOf: [NOTIFICATION_OUTCOME, { type: "null" }], description: "How the latest pause's approval notification went" },
    calls: { type: "array", items: executionCall },
  },
  ["id", "identity", "toolkit", "code", "status", "logs", "createdAt", "finishedAt", "durationMs", "pausedCallId", "expiresAt", "notification", "calls"],
);

/** One line of GET /api/executions/export: the execution (its toolkit included) and who decided. */
export const EXECUTION_EXPORT_LINE = {
  ...EXECUTION,
  properties: { ...(EXECUTION.properties as Record<string, unknown>), approvers: texts },
  required: [...(EXECUTION.required as string[]), "approvers"],
};

export const DECISION = object({ executionId: text, callId: count, decision: { enum: ["approved", "declined"] } });

export const CANCELLED = object({ executionId: text, status: { const: "cancelled" } });

/**
 * The schemas /api/openapi.json names under `components/schemas` (each use becomes a `$ref`):
 * found by identity, so a route must use these very objects to be linked to them.
 */
export const NAMED_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Error: ERROR_BODY,
  Identity: IDENTITY,
  Status: STATUS,
  IntegrationSummary: INTEGRATION_SUMMARY,
  Integration: INTEGRATION,
  AddIntegration: ADD_INTEGRATION_SCHEMA,
  AddedIntegration: ADDED_INTEGRATION,
  Detection: DETECTION,
  ToolDiff: TOOL_DIFF,
  Connection: CONNECTION,
  NewConnection: NEW_CONNECTION,
  AuthInput: AUTH_INPUT_SCHEMA,
  OAuthApp: OAUTH_APP,
  OAuthAppInput: OAUTH_APP_INPUT_SCHEMA,
  OAuthProvider: OAUTH_PROVIDER,
  Preset: PRESET,
  ConnectionTest: CONNECTION_TEST,
  ToolSummary: TOOL_SUMMARY,
  Tool: TOOL,
  PolicyPattern: PATTERN_SCHEMA,
  Policy: POLICY,
  PersonalPolicy: PERSONAL_POLICY,
  Toolkit: TOOLKIT,
  NewToolkit: NEW_TOOLKIT,
  ToolkitChange: TOOLKIT_CHANGE,
  ExecutionStatus: EXECUTION_STATUS,
  ExecutionResult: EXECUTION_RESULT,
  ExecutionSummary: EXECUTION_SUMMARY,
  Execution: EXECUTION,
  Decision: DECISION,
};
