/**
 * The encrypted secrets table: put, read and delete secrets by id. Callers hold ids, never
 * ciphertext; plaintext exists only in memory for the call that needs it.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../db";
import { schema } from "../db";
import type { SecretBox } from "./secret-box";

/** Encrypts and stores (or replaces) the secret `id`. */
export async function putSecret(db: Database, box: SecretBox, id: string, plaintext: string, now: number): Promise<void> {
  const ciphertext = await box.encrypt(plaintext, `secret:${id}`);
  await db
    .insert(schema.secrets)
    .values({ id, ciphertext, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: schema.secrets.id, set: { ciphertext, updatedAt: now } });
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
