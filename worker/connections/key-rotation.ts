/**
 * Key rotation as the rest of the Worker sees it (docs/security.md#rotating-the-secret-key):
 * re-seal stored secrets under the current key (the daily cron and
 * `POST /api/admin/rotate-secrets`), and what `/api/status` reports. The re-sealing itself is
 * secrets/rotation.ts; this file adds what a secret that opens with neither key means for
 * the connection it belongs to: `needs_reauth`, or for a cached client-credentials token,
 * simply dropping it (the next call fetches a new one).
 */
import { inArray } from "drizzle-orm";
import { schema, type Database } from "../db";
import { resealSecrets, sealStatus, secretKeyring, type ResealReport, type SecretKeys } from "../secrets";

/** What `/api/status` says about the secret key. */
export interface SecretKeyStatus {
  /**
   * `none`: no EXECUTOR_SECRET_KEY_PREVIOUS. `in_progress`: values remain under it.
   * `done`: nothing remains under it; it can be deleted.
   */
  keyRotation: "none" | "in_progress" | "done";
  /** Values still to re-seal under the current key (under the previous key, or in the older v1 form). */
  remaining: number;
  /** Values that open with neither configured key (their connections need new credentials). */
  unreadable: number;
}

/** Re-seals until nothing is left or `deadline` (epoch ms) passes. */
export async function rotateSecretKeys(db: Database, keys: SecretKeys, deadline: number): Promise<ResealReport> {
  const keyring = await secretKeyring(keys);
  return resealSecrets(db, keyring, { deadline, onUnreadable: (ids) => markUnreadable(db, ids) });
}

/** The rotation's progress, counted in SQL. */
export async function secretKeyStatus(db: Database, keys: SecretKeys): Promise<SecretKeyStatus> {
  const keyring = await secretKeyring(keys);
  const { remaining, unreadable } = await sealStatus(db, keyring);
  const keyRotation = keyring.previousKeyId === null ? "none" : remaining > 0 ? "in_progress" : "done";
  return { keyRotation, remaining, unreadable };
}

/** Connection secrets are `connection:<id>` (credentials) and `connection:<id>:token` (a cache). */
async function markUnreadable(db: Database, secretIds: string[]): Promise<void> {
  const credentials = secretIds.map((id) => /^connection:([^:]+)$/.exec(id)?.[1]).filter((id): id is string => id !== undefined);
  const tokenCaches = secretIds.filter((id) => /^connection:[^:]+:token$/.test(id));
  for (const id of secretIds) console.error(`secret ${id} opens with neither configured key`);
  if (credentials.length > 0) {
    await db.update(schema.connections).set({ status: "needs_reauth", updatedAt: Date.now() }).where(inArray(schema.connections.id, credentials));
  }
  if (tokenCaches.length > 0) await db.delete(schema.secrets).where(inArray(schema.secrets.id, tokenCaches));
}
