/**
 * The encrypted secrets table: put, read and delete secrets by id. Callers hold ids, never
 * ciphertext; plaintext exists only in memory for the call that needs it. Pass a Keyring
 * (keyring.ts) as the box, so values sealed under the previous key still open; any write
 * seals under the current key and clears the row's "unreadable" mark.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../db";
import { schema } from "../db";
import type { SecretBox } from "./secret-box";

/** Encrypts and stores (or replaces) the secret `id`. */
export async function putSecret(db: Database, box: SecretBox, id: string, plaintext: string, now: number): Promise<void> {
  const ciphertext = await box.encrypt(plaintext, `secret:${id}`);
  await db
    .insert(schema.secrets)
    .values({ id, ciphertext, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: schema.secrets.id, set: { ciphertext, updatedAt: now, unreadableUnder: null } });
}

/** The plaintext of secret `id`, or null when there is none. Throws SecretDecryptionError on a bad key. */
export async function readSecret(db: Database, box: SecretBox, id: string): Promise<string | null> {
  const row = await db.select({ ciphertext: schema.secrets.ciphertext }).from(schema.secrets).where(eq(schema.secrets.id, id)).get();
  return row ? box.decrypt(row.ciphertext, `secret:${id}`) : null;
}

/** Removes secret `id` (no error when it does not exist). */
export async function deleteSecret(db: Database, id: string): Promise<void> {
  await db.delete(schema.secrets).where(eq(schema.secrets.id, id));
}

/** The stored (sealed) form of secret `id` and its plaintext, or null. */
export async function readSecretWithSeal(db: Database, box: SecretBox, id: string): Promise<{ sealed: string; plaintext: string } | null> {
  const row = await db.select({ ciphertext: schema.secrets.ciphertext }).from(schema.secrets).where(eq(schema.secrets.id, id)).get();
  return row ? { sealed: row.ciphertext, plaintext: await box.decrypt(row.ciphertext, `secret:${id}`) } : null;
}

/**
 * Replaces secret `id` only if it still holds `expectedSeal`: a compare-and-swap, so two
 * isolates racing to change one secret cannot both win. True when this caller won.
 */
export async function swapSecret(db: Database, box: SecretBox, id: string, expectedSeal: string, plaintext: string, now: number): Promise<boolean> {
  const ciphertext = await box.encrypt(plaintext, `secret:${id}`);
  const result = await db
    .update(schema.secrets)
    .set({ ciphertext, updatedAt: now, unreadableUnder: null })
    .where(and(eq(schema.secrets.id, id), eq(schema.secrets.ciphertext, expectedSeal)));
  return result.meta.changes === 1;
}
