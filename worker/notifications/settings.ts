/**
 * Where approval notifications go: the console's notifications setting when an admin saved
 * one, else the Worker's APPROVAL_WEBHOOK_* settings, else nowhere
 * (docs/operations.md#approval-notifications). The console setting wins because it is the one
 * an admin can change at once, without a deploy; deleting it falls back to the Worker's.
 *
 * The URL and the HMAC secret are sealed in `secrets` like connection credentials (a Slack or
 * Teams webhook URL alone lets anyone post to the channel) and are never returned: the
 * setting row and every answer carry only the URL's origin and whether it signs.
 */
import { eq } from "drizzle-orm";
import type { Identity } from "../auth";
import { parseApprovalWebhook, webhookUrlHint, type ApprovalWebhook, type Config, type WebhookFormat } from "../config";
import { schema, type Database } from "../db";
import { invalidRequest } from "../errors";
import { deleteSecret, putSecret, readSecret, SecretDecryptionError, secretKeyring } from "../secrets";

const SETTING = "approval_webhook";
const SECRET_ID = `setting:${SETTING}`;

/** What the settings row holds: only what may be shown. */
interface StoredSetting {
  enabled: boolean;
  format: WebhookFormat;
  urlHint: string;
  signed: boolean;
}

/** What the console shows (GET /api/settings/notifications). */
export interface NotificationSettingsView {
  /** Which settings a pause is announced with now. */
  source: "console" | "environment" | "none";
  console: (StoredSetting & { updatedBy: string; updatedAt: string }) | null;
  environment: { format: WebhookFormat; urlHint: string; signed: boolean } | null;
}

/** A change from the console; absent fields keep their saved value, `secret: null` removes it. */
export interface NotificationSettingsInput {
  enabled?: boolean;
  url?: string;
  format?: WebhookFormat;
  secret?: string | null;
}

/** The webhook a pause is announced to, or why there is none. */
export type ActiveWebhook = { webhook: ApprovalWebhook } | { webhook: null; reason: string };

/** The settings as the console shows them. */
export async function notificationSettingsView(db: Database, config: Config): Promise<NotificationSettingsView> {
  const row = await readRow(db);
  const env = config.approvalWebhook;
  return {
    source: row ? "console" : env ? "environment" : "none",
    console: row ? { ...row.value, updatedBy: row.updatedBy, updatedAt: new Date(row.updatedAt).toISOString() } : null,
    environment: env ? { format: env.format, urlHint: webhookUrlHint(env.url), signed: env.secret !== null } : null,
  };
}

/** Saves the console setting, merged with the saved one and checked like the Worker's. */
export async function saveNotificationSettings(
  db: Database,
  config: Config,
  input: NotificationSettingsInput,
  identity: Identity,
  now: number,
): Promise<NotificationSettingsView> {
  const row = await readRow(db);
  // A saved URL and secret that no longer open are simply not kept: the admin enters them again.
  const saved = row ? await openSaved(db, config).catch(() => null) : null;
  const url = input.url ?? saved?.url;
  if (url === undefined) throw invalidRequest([{ field: "url", problem: "required (no webhook is saved yet)" }]);
  const secret = input.secret === undefined ? (saved?.secret ?? null) : input.secret;
  const parsed = parseApprovalWebhook({ url, format: input.format ?? row?.value.format ?? "", secret: secret ?? "" }, config.allowLocalNetwork);
  if (!parsed.ok) throw invalidRequest(parsed.problems);
  const { webhook } = parsed;
  await putSecret(db, await secretKeyring(config.secretKeys), SECRET_ID, JSON.stringify({ url: webhook.url, secret: webhook.secret }), now);
  const value: StoredSetting = { enabled: input.enabled ?? row?.value.enabled ?? true, format: webhook.format, urlHint: webhookUrlHint(webhook.url), signed: webhook.secret !== null };
  await db
    .insert(schema.settings)
    .values({ name: SETTING, value: value as unknown as Record<string, unknown>, updatedBy: identity.email ?? identity.id, updatedAt: now })
    .onConflictDoUpdate({ target: schema.settings.name, set: { value: value as unknown as Record<string, unknown>, updatedBy: identity.email ?? identity.id, updatedAt: now } });
  return notificationSettingsView(db, config);
}

/** Removes the console setting (the Worker's settings, if any, apply again). */
export async function deleteNotificationSettings(db: Database): Promise<void> {
  await db.delete(schema.settings).where(eq(schema.settings.name, SETTING));
  await deleteSecret(db, SECRET_ID);
}

/** The webhook to use now. */
export async function activeWebhook(db: Database, config: Config): Promise<ActiveWebhook> {
  const row = await readRow(db);
  if (!row) return config.approvalWebhook ? { webhook: config.approvalWebhook } : { webhook: null, reason: "no approval webhook is configured" };
  if (!row.value.enabled) return { webhook: null, reason: "notifications are turned off in the console" };
  try {
    const saved = await openSaved(db, config);
    if (!saved) return { webhook: null, reason: "the saved webhook is missing; save it again" };
    return { webhook: { url: saved.url, format: row.value.format, secret: saved.secret } };
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    return { webhook: null, reason: "the saved webhook cannot be decrypted with the configured secret key; save it again" };
  }
}

async function readRow(db: Database): Promise<{ value: StoredSetting; updatedBy: string; updatedAt: number } | null> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.name, SETTING)).get();
  return row ? { value: row.value as unknown as StoredSetting, updatedBy: row.updatedBy, updatedAt: row.updatedAt } : null;
}

async function openSaved(db: Database, config: Config): Promise<{ url: string; secret: string | null } | null> {
  const text = await readSecret(db, await secretKeyring(config.secretKeys), SECRET_ID);
  return text === null ? null : (JSON.parse(text) as { url: string; secret: string | null });
}
