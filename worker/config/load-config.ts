/**
 * Parses the Worker's env into a typed Config, once per isolate (docs/configuration.md). Every
 * setting is read here and nowhere else.
 * Fails closed: a config that cannot protect the Worker yields a problem list, which the
 * caller turns into 503 on every route. Successes are cached per env object; failures are
 * not, so fixing a secret takes effect on the next request without a redeploy.
 */
import { parseApprovalWebhook, type ApprovalWebhook } from "./approval-webhook";
import { parseNumericSettings, type NumericSettings } from "./limits";

/** Where Access publishes its keys and what its tokens must say. */
export interface AccessSettings {
  /** `https://<team>.cloudflareaccess.com`, the exact `iss` of every token. */
  issuer: string;
  /** `<issuer>/cdn-cgi/access/certs`. */
  certsUrl: string;
  /** Accepted AUD tags; a token must carry at least one. Never empty. */
  audiences: string[];
}

export interface Config extends NumericSettings {
  /** Null when Access is not configured: only local development on loopback is served. */
  access: AccessSettings | null;
  /** Lower-cased admin emails; empty means every human is an admin. */
  adminEmails: ReadonlySet<string>;
  /**
   * Client IDs of Access service tokens that may call the audit export, and nothing else an
   * admin may (a service identity is never an admin): a scheduled job ships the history
   * without holding a person's rights. docs/operations.md#audit-export.
   */
  exportServiceTokens: ReadonlySet<string>;
  org: { name: string; slug: string };
  /**
   * EXECUTOR_SECRET_KEY seals and opens secrets; EXECUTOR_SECRET_KEY_PREVIOUS, set during a
   * rotation, only opens what it sealed (docs/security.md#rotating-the-secret-key).
   */
  secretKeys: { current: string; previous: string | null };
  allowLocalNetwork: boolean;
  /**
   * APPROVAL_WEBHOOK_URL / _FORMAT / _SECRET, or null. The console's notifications setting,
   * when an admin saved one, is used instead (docs/operations.md#approval-notifications).
   */
  approvalWebhook: ApprovalWebhook | null;
  /** The email of the local developer, honoured only without Access and on loopback. */
  devIdentity: string | null;
  /**
   * When set, only an assertion whose `aud` holds this tag may approve or decline
   * (APPROVER_AUD), so `/mcp` can sit behind an Access application of its own whose tokens can
   * never decide. Null: every human may.
   */
  approverAudience: string | null;
  /** Settings that are absent but not fatal (Access, in local development). */
  missing: string[];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; missing: string[] };

export const MIN_SECRET_KEY_LENGTH = 32;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True for the hosts where local-development shortcuts may apply. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * The Worker's vars and secrets as they arrive: any of them may be absent (or, from a
 * misconfigured binding, not even a string), whatever the generated Env type says.
 */
export type ConfigVars = object;

/** Pure: reads the vars into a Config, or names every setting that is missing or invalid. */
export function parseConfig(vars: ConfigVars): ConfigResult {
  const fatal: string[] = [];
  const missing: string[] = [];
  const text = (name: string): string => {
    const value = (vars as Record<string, unknown>)[name];
    return typeof value === "string" ? value : "";
  };

  const secretKey = text("EXECUTOR_SECRET_KEY");
  if (secretKey.length < MIN_SECRET_KEY_LENGTH) {
    fatal.push(`EXECUTOR_SECRET_KEY (a secret of at least ${MIN_SECRET_KEY_LENGTH} characters)`);
  }
  // Optional, but a value that is set must be usable: a truncated paste of the old key would
  // otherwise mark every connection needs_reauth.
  const previousKey = text("EXECUTOR_SECRET_KEY_PREVIOUS");
  if (previousKey !== "" && previousKey.length < MIN_SECRET_KEY_LENGTH) {
    fatal.push(`EXECUTOR_SECRET_KEY_PREVIOUS (when set, a secret of at least ${MIN_SECRET_KEY_LENGTH} characters)`);
  }

  const teamDomain = text("ACCESS_TEAM_DOMAIN").trim();
  const audiences = splitList(text("ACCESS_AUD"));
  let access: AccessSettings | null = null;
  if (teamDomain === "") missing.push("ACCESS_TEAM_DOMAIN");
  if (audiences.length === 0) missing.push("ACCESS_AUD");
  if (teamDomain !== "") {
    const issuer = parseIssuer(teamDomain);
    if (issuer === null) {
      fatal.push("ACCESS_TEAM_DOMAIN (must be <team>.cloudflareaccess.com or an https origin)");
    } else if (audiences.length > 0) {
      access = { issuer, certsUrl: `${issuer}/cdn-cgi/access/certs`, audiences };
    }
  }

  const numeric = parseNumericSettings(text, fatal);

  const allowLocalNetwork = text("ALLOW_LOCAL_NETWORK").trim().toLowerCase() === "true";
  let approvalWebhook: ApprovalWebhook | null = null;
  if (text("APPROVAL_WEBHOOK_URL").trim() !== "") {
    const parsed = parseApprovalWebhook(
      { url: text("APPROVAL_WEBHOOK_URL"), format: text("APPROVAL_WEBHOOK_FORMAT"), secret: text("APPROVAL_WEBHOOK_SECRET") },
      allowLocalNetwork,
    );
    if (parsed.ok) approvalWebhook = parsed.webhook;
    else for (const { field, problem } of parsed.problems) fatal.push(`APPROVAL_WEBHOOK_${field.toUpperCase()} (${problem})`);
  }

  if (fatal.length > 0) return { ok: false, missing: [...fatal, ...missing] };

  const orgName = text("ORG_NAME").trim() || "Default";
  const devIdentity = text("DEV_IDENTITY").trim().toLowerCase();
  const approverAudience = text("APPROVER_AUD").trim();
  return {
    ok: true,
    config: {
      access,
      adminEmails: new Set(splitList(text("ADMIN_EMAILS")).map((email) => email.toLowerCase())),
      exportServiceTokens: new Set(splitList(text("EXPORT_SERVICE_TOKENS"))),
      org: { name: orgName, slug: slugify(orgName) },
      secretKeys: { current: secretKey, previous: previousKey === "" ? null : previousKey },
      allowLocalNetwork,
      approvalWebhook,
      devIdentity: devIdentity === "" ? null : devIdentity,
      approverAudience: approverAudience === "" ? null : approverAudience,
      missing,
      ...numeric,
    },
  };
}

const cache = new WeakMap<object, Config>();

/** The isolate's Config for this env; parsed on first use, re-parsed after a failure. */
export function loadConfig(env: ConfigVars): ConfigResult {
  const cached = cache.get(env);
  if (cached) return { ok: true, config: cached };
  const result = parseConfig(env);
  if (result.ok) cache.set(env, result.config);
  return result;
}

/** `my team` → `my-team`: the org's slug, as the `x-executor-organization` header names it. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "default";
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * `team.cloudflareaccess.com` → `https://team.cloudflareaccess.com`. A full origin is accepted
 * as is; plain http only for a loopback origin (tests, local runs), because an issuer reached
 * over http lets anyone on the path swap the signing keys.
 */
function parseIssuer(teamDomain: string): string | null {
  const candidate = teamDomain.includes("://") ? teamDomain : `https://${teamDomain}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return null;
  }
  if (url.protocol === "https:") return url.origin;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url.origin;
  return null;
}
