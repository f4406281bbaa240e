// @ts-check
/**
 * The console's client for /api: one function per route it uses, with the JSON shapes it
 * reads (docs/api.md has the route table). Every fetch is same-origin, so the browser sends
 * `Sec-Fetch-Site: same-origin`, which the decision endpoints require. It does not render.
 * The shapes are asserted, not validated: the server is ours and the views only show text.
 */

/** @typedef {"allow" | "approve" | "block"} PolicyAction */
/**
 * @template T
 * @typedef {{ items: T[], total: number, nextOffset: number | null }} Page
 */
/**
 * The signed-in caller, as the page's boot data carries it.
 * @typedef {{ id: string, kind: "user" | "service", email: string | null, roles: string[] }} Identity
 */
/** @typedef {{ slug: string, kind: string, name: string, toolCount: number }} IntegrationSummary */
/**
 * @typedef {{ name: string, shared: boolean, authType: string, maskedHint: string | null,
 *   status: string, lastUsedAt: string | null }} Connection
 */
/**
 * What an integration offers a person connecting with OAuth (GET /api/integrations/:slug `oauth`).
 * @typedef {{ provider: string | null, scopes: string[], defaultScopes: string[] }} OAuthOffer
 */
/**
 * @typedef {IntegrationSummary & { baseUrl?: string | null, sourceUrl?: string | null,
 *   oauth: OAuthOffer | null, connections: Connection[] }} Integration
 */
/**
 * @typedef {{ id: string, name: string, provider: string, authorizationUrl: string, tokenUrl: string,
 *   clientId: string, maskedHint: string | null, scopes: string[], extraParams: Record<string, string>,
 *   tenant: string | null, botScopes: string[], connectionCount: number, redirectUri: string }} OAuthApp
 */
/**
 * @typedef {{ id: string, name: string, authorizationUrl: string | null, tokenUrl: string | null,
 *   registerAt: string | null, requiredScopes: string[], scopeParameter: string, botScopes: boolean,
 *   tenant: { default: string, description: string } | null, tokens: string, exampleScopes: string[],
 *   redirectUri: string }} OAuthProvider
 */
/**
 * @typedef {{ type: "oauth2", provider: string, scopes: string[] } | { type: "oauth2", discovery: true }
 *   | { type: "bearer" | "basic", hint: string } | { type: "apiKey", name: string, in: string, hint: string }} PresetAuth
 */
/** @typedef {{ pattern: string, action: PolicyAction, reason: string }} SuggestedPolicy */
/**
 * @typedef {{ id: string, name: string, kind: string, category: string, description: string, url: string,
 *   baseUrlHint?: string, include?: string[], auth: PresetAuth[], reads: string, policies: SuggestedPolicy[],
 *   source: string }} Preset
 */
/**
 * @typedef {{ slug: string, kind: string, name: string, toolCount: number, needsConnection?: boolean,
 *   preset?: string, suggestedPolicies?: SuggestedPolicy[] }} AddedIntegration
 */
/** @typedef {{ kind: string, name?: string, toolCount?: number }} Detection */
/** @typedef {{ added: unknown[], removed: unknown[], changed: unknown[] }} RefreshDiff */
/** @typedef {{ ok: boolean, status?: number, message: string }} ConnectionTest */
/**
 * @typedef {{ address: string, integration: string, description: string,
 *   defaultPolicy: PolicyAction, policy: PolicyAction, policyRule: string | null }} Tool
 */
/** @typedef {Tool & { typescript: string }} ToolDetail */
/** @typedef {{ id: string, pattern: string, action: PolicyAction, position: number }} Policy */
/** @typedef {{ id: string, pattern: string, action: "approve" | "block", createdAt: string }} PersonalPolicy */
/** @typedef {{ emails?: string[], groups?: string[], serviceTokens?: string[] }} ToolkitMembers */
/**
 * @typedef {{ slug: string, name: string, description: string | null, include: string[],
 *   policies: { pattern: string, action: "approve" | "block" }[], members: ToolkitMembers | null,
 *   mcpUrl: string, mayUse: boolean }} Toolkit
 */
/**
 * @typedef {{ id: string, createdAt: string, identityLabel: string, status: string,
 *   codePreview: string, toolkit: string | null }} ExecutionSummary
 */
/** @typedef {{ code: string, message: string }} ErrorBody */
/**
 * @typedef {{ callId: number, kind: string, tool: string | null, args: unknown,
 *   connection: string | null, connectionShared?: boolean, policy: string | null, status: string, error?: ErrorBody,
 *   decision: string | null, decidedBy: string | null, startedAt: string }} Call
 */
/**
 * How a pause's approval notification went.
 * @typedef {{ callId: number, status: "sent" | "failed" | "skipped", attempts: number, at: string,
 *   error?: string }} NotificationOutcome
 */
/**
 * @typedef {{ id: string, identity: { id: string, label: string }, code: string,
 *   status: string, result?: unknown, error?: ErrorBody, logs: string[], createdAt: string,
 *   durationMs: number | null, pausedCallId: number | null, expiresAt: string | null,
 *   notification: NotificationOutcome | null, calls: Call[] }} Execution
 */
/** @typedef {"slack" | "teams" | "generic"} WebhookFormat */
/**
 * Where approval notifications go; URLs appear only as their origin, secrets never.
 * @typedef {{ source: "console" | "environment" | "none",
 *   console: { enabled: boolean, format: WebhookFormat, urlHint: string, signed: boolean,
 *     updatedBy: string, updatedAt: string } | null,
 *   environment: { format: WebhookFormat, urlHint: string, signed: boolean } | null }} NotificationSettings
 */
/**
 * A change to the console's notification setting; absent fields keep their saved value.
 * @typedef {{ enabled?: boolean, url?: string, format?: WebhookFormat, secret?: string | null }} NotificationSettingsChange
 */
/**
 * What /api/status says about the secret key.
 * @typedef {{ keyRotation: "none" | "in_progress" | "done", remaining: number, unreadable: number }} SecretKeyStatus
 */

/** The actions a policy rule can take, in the order the console offers them. @type {readonly PolicyAction[]} */
export const POLICY_ACTIONS = ["allow", "approve", "block"];

const segment = encodeURIComponent;

// --- Integrations and connections ---------------------------------------------------------

/** @returns {Promise<Page<IntegrationSummary>>} */
export const listIntegrations = () => request("GET", "/api/integrations");

/** @param {string} slug @returns {Promise<Integration>} */
export const getIntegration = (slug) => request("GET", `/api/integrations/${segment(slug)}`);

/**
 * @param {{ kind?: string, preset?: string, url?: string, spec?: unknown, slug?: string, baseUrl?: string }} body
 * @returns {Promise<AddedIntegration>}
 */
export const addIntegration = (body) => request("POST", "/api/integrations", body);

/** @param {string} url @returns {Promise<Detection>} */
export const detectIntegration = (url) => request("POST", "/api/integrations/detect", { url });

/** @param {string} slug @returns {Promise<RefreshDiff>} */
export const refreshIntegration = (slug) => request("POST", `/api/integrations/${segment(slug)}/refresh`, {});

/** @param {string} slug @returns {Promise<null>} */
export const removeIntegration = (slug) => request("DELETE", `/api/integrations/${segment(slug)}`);

/**
 * @param {string} slug
 * @param {{ name: string, shared: boolean, auth: Record<string, unknown> }} body
 * @returns {Promise<{ authorizationUrl?: string }>}
 */
export const addConnection = (slug, body) => request("POST", `/api/integrations/${segment(slug)}/connections`, body);

/** @param {string} slug @param {string} name @returns {Promise<ConnectionTest>} */
export const testConnection = (slug, name) => request("POST", `/api/integrations/${segment(slug)}/connections/${segment(name)}/test`, {});

/** @param {string} slug @param {Connection} connection @returns {Promise<null>} */
export const removeConnection = (slug, connection) =>
  request("DELETE", `/api/integrations/${segment(slug)}/connections/${segment(connection.name)}${connection.shared ? "?shared=true" : ""}`);

// --- Presets and OAuth apps ---------------------------------------------------------------

/** @returns {Promise<Page<Preset>>} */
export const listPresets = () => request("GET", "/api/presets");

/** @returns {Promise<Page<OAuthProvider>>} */
export const listOAuthProviders = () => request("GET", "/api/oauth-providers");

/** @returns {Promise<Page<OAuthApp>>} */
export const listOAuthApps = () => request("GET", "/api/oauth-apps");

/** @param {Record<string, unknown>} body @returns {Promise<OAuthApp>} */
export const createOAuthApp = (body) => request("POST", "/api/oauth-apps", body);

/** @param {string} id @param {Record<string, unknown>} change @returns {Promise<OAuthApp>} */
export const updateOAuthApp = (id, change) => request("PATCH", `/api/oauth-apps/${segment(id)}`, change);

/** @param {string} id @param {boolean} cascade @returns {Promise<null>} */
export const deleteOAuthApp = (id, cascade) => request("DELETE", `/api/oauth-apps/${segment(id)}${cascade ? "?cascade=true" : ""}`);

// --- Tools and policies -------------------------------------------------------------------

/**
 * @param {{ q?: string, integration?: string, limit?: number }} query
 * @returns {Promise<Page<Tool>>}
 */
export const searchTools = (query) => request("GET", `/api/tools?${queryString(query)}`);

/** @param {string} address @returns {Promise<ToolDetail>} */
export const getTool = (address) => request("GET", `/api/tools/${segment(address)}`);

/**
 * How many tools the caller can see that a policy pattern matches. The server answers with
 * the same matcher that applies policies, so the preview cannot drift from the real rule.
 * @param {string} pattern
 * @returns {Promise<number>}
 */
export async function countToolsMatching(pattern) {
  /** @type {Page<Tool>} */
  const page = await request("GET", `/api/tools?${queryString({ pattern, limit: 1 })}`);
  return page.total;
}

/** @returns {Promise<Page<Policy>>} */
export const listPolicies = () => request("GET", "/api/policies");

/** @param {{ pattern: string, action: PolicyAction, position?: number }} body @returns {Promise<Policy>} */
export const createPolicy = (body) => request("POST", "/api/policies", body);

/** @param {string} id @param {{ position: number }} change @returns {Promise<Policy>} */
export const updatePolicy = (id, change) => request("PATCH", `/api/policies/${segment(id)}`, change);

/** @param {string} id @returns {Promise<null>} */
export const deletePolicy = (id) => request("DELETE", `/api/policies/${segment(id)}`);

/** @returns {Promise<Page<PersonalPolicy>>} */
export const listPersonalPolicies = () => request("GET", "/api/me/policies");

/** @param {{ pattern: string, action: "approve" | "block" }} body @returns {Promise<PersonalPolicy>} */
export const createPersonalPolicy = (body) => request("POST", "/api/me/policies", body);

/** @param {string} id @returns {Promise<null>} */
export const deletePersonalPolicy = (id) => request("DELETE", `/api/me/policies/${segment(id)}`);

// --- Toolkits -----------------------------------------------------------------------------

/** @returns {Promise<Page<Toolkit>>} */
export const listToolkits = () => request("GET", "/api/toolkits");

/**
 * @param {{ slug: string, name: string, description?: string | null, include: string[],
 *   policies?: { pattern: string, action: "approve" | "block" }[], members?: ToolkitMembers | null }} body
 * @returns {Promise<Toolkit>}
 */
export const createToolkit = (body) => request("POST", "/api/toolkits", body);

/** @param {string} slug @returns {Promise<null>} */
export const deleteToolkit = (slug) => request("DELETE", `/api/toolkits/${segment(slug)}`);

// --- Executions ---------------------------------------------------------------------------

/**
 * @param {{ status?: string, identity?: string, toolkit?: string, limit?: number }} query
 * @returns {Promise<Page<ExecutionSummary>>}
 */
export const listExecutions = (query) => request("GET", `/api/executions?${queryString(query)}`);

/** @param {string} id @returns {Promise<Execution>} */
export const getExecution = (id) => request("GET", `/api/executions/${segment(id)}`);

/** @param {string} id @param {"approve" | "decline"} decision @param {number} callId @returns {Promise<unknown>} */
export const decideCall = (id, decision, callId) => request("POST", `/api/executions/${segment(id)}/${decision}`, { callId });

/** Runs a decided execution on at once. @param {string} id @returns {Promise<unknown>} */
export const resumeExecution = (id) => request("POST", `/api/executions/${segment(id)}/resume`, { waitSeconds: 0 });

/** @param {string} id @returns {Promise<unknown>} */
export const cancelExecution = (id) => request("POST", `/api/executions/${segment(id)}/cancel`, {});

// --- Settings and status ------------------------------------------------------------------

/** The formats a notification can be sent in. @type {readonly WebhookFormat[]} */
export const WEBHOOK_FORMATS = ["slack", "teams", "generic"];

/** @returns {Promise<NotificationSettings>} */
export const getNotificationSettings = () => request("GET", "/api/settings/notifications");

/** @param {NotificationSettingsChange} change @returns {Promise<NotificationSettings>} */
export const saveNotificationSettings = (change) => request("PATCH", "/api/settings/notifications", change);

/** Back to the Worker's settings. @returns {Promise<null>} */
export const deleteNotificationSettings = () => request("DELETE", "/api/settings/notifications");

/** @returns {Promise<{ status: string, attempts: number, error?: string }>} */
export const sendTestNotification = () => request("POST", "/api/settings/notifications/test", {});

/** Re-seals stored secrets under the current key now. @returns {Promise<{ resealed: number, remaining: number, unreadable: number }>} */
export const rotateSecrets = () => request("POST", "/api/admin/rotate-secrets", {});

/** @returns {Promise<{ version: string, secrets?: SecretKeyStatus }>} */
export const getStatus = () => request("GET", "/api/status");

// --- Private ------------------------------------------------------------------------------

/**
 * Query parameters, leaving out empty and absent values.
 * @param {Record<string, string | number | undefined>} query
 */
function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, String(value));
  return params.toString();
}

/**
 * One JSON request; a non-2xx answer throws with the API's error message.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the caller's declared shape (asserted, see the header)
 */
async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  /** @type {{ error?: { message?: string } }} */
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error?.message ?? `HTTP ${response.status}`);
  return json;
}
