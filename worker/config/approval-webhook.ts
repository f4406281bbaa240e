/**
 * The approval webhook's settings, checked the same way wherever they come from: the
 * Worker's APPROVAL_WEBHOOK_* settings (load-config.ts) or the console's notifications
 * setting (api/settings.ts). docs/operations.md#approval-notifications. Pure.
 */

export const WEBHOOK_FORMATS = ["slack", "teams", "generic"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The shortest HMAC key accepted for signing. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** Where approval notifications go and how. */
export interface ApprovalWebhook {
  /** A bearer credential: Slack and Teams webhook URLs alone let anyone post to the channel. */
  url: string;
  format: WebhookFormat;
  /** The HMAC-SHA256 key for `X-Executor-Signature`; required for `generic`. */
  secret: string | null;
}

/** The settings as entered; empty strings mean "not given". */
export interface WebhookInput {
  url: string;
  format: string;
  secret: string;
}

export type WebhookResult = { ok: true; webhook: ApprovalWebhook } | { ok: false; problems: { field: "url" | "format" | "secret"; problem: string }[] };

/**
 * Checks the settings. The URL must be https (plain http only with ALLOW_LOCAL_NETWORK, for
 * a receiver on the local network) and carry no user info; an empty format is guessed from
 * the host; `generic` needs a secret, since its receiver has nothing else to trust.
 */
export function parseApprovalWebhook(input: WebhookInput, allowLocalNetwork: boolean): WebhookResult {
  const problems: { field: "url" | "format" | "secret"; problem: string }[] = [];
  let url: URL | null = null;
  try {
    url = new URL(input.url.trim());
  } catch {
    problems.push({ field: "url", problem: "not a URL" });
  }
  if (url) {
    const schemeOk = url.protocol === "https:" || (url.protocol === "http:" && allowLocalNetwork);
    if (!schemeOk) problems.push({ field: "url", problem: allowLocalNetwork ? "must be http or https" : "must be https" });
    else if (url.username !== "" || url.password !== "") problems.push({ field: "url", problem: "must not carry a user name or password" });
  }
  const formatText = input.format.trim().toLowerCase();
  let format: WebhookFormat | null = null;
  if (formatText === "") format = url ? guessFormat(url) : "generic";
  else if ((WEBHOOK_FORMATS as readonly string[]).includes(formatText)) format = formatText as WebhookFormat;
  else problems.push({ field: "format", problem: `one of ${WEBHOOK_FORMATS.join(", ")}` });
  const secret = input.secret === "" ? null : input.secret;
  if (secret !== null && secret.length < MIN_WEBHOOK_SECRET_LENGTH) problems.push({ field: "secret", problem: `at least ${MIN_WEBHOOK_SECRET_LENGTH} characters` });
  if (format === "generic" && secret === null) problems.push({ field: "secret", problem: "required for the generic format (its receiver verifies the signature)" });
  if (problems.length > 0 || !url || !format) return { ok: false, problems };
  return { ok: true, webhook: { url: url.href, format, secret } };
}

/** Slack and Teams by their webhook hosts; anything else is generic JSON. */
export function guessFormat(url: URL): WebhookFormat {
  const host = url.hostname.toLowerCase();
  if (host === "hooks.slack.com") return "slack";
  if (host.endsWith(".webhook.office.com") || host.endsWith(".logic.azure.com") || host.endsWith(".api.powerplatform.com")) return "teams";
  return "generic";
}

/** What may be shown of a webhook URL: its origin, never the path that makes it a credential. */
export function webhookUrlHint(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "…";
  }
}
