/**
 * Re-sealing after a key rotation (docs/security.md#rotating-the-secret-key): every stored
 * secret not yet sealed under the current key in the current form (values under
 * EXECUTOR_SECRET_KEY_PREVIOUS, and v1 values) is opened and sealed again under the current
 * key, a small batch at a time, until nothing is left or the caller's deadline passes.
 *
 * Each row is written with a compare-and-swap on the ciphertext it was read with: if an
 * OAuth refresh replaced the value meanwhile, the refresh wins (its value is already under
 * the current key) and this pass leaves the row alone. A value that opens with neither key
 * is never rewritten: it is marked with the keys it failed under, counted as `unreadable`,
 * reported to `onUnreadable` (which marks its connection), and tried again only when the
 * configured keys change (a fixed EXECUTOR_SECRET_KEY_PREVIOUS can still rescue it).
 * Counting what remains is one SQL query over the key id in each value's prefix.
 */
import { and, asc, eq, gt, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { bumpRevision, schema, type Database } from "../db";
import type { Keyring } from "./keyring";
import { SEALED_PREFIX_LENGTH, SecretDecryptionError, sealedPrefix } from "./secret-box";

/** Rows read and written per D1 batch: small, so one batch never holds the database for long. */
export const RESEAL_BATCH_SIZE = 25;

/** What is left to re-seal. */
export interface SealStatus {
  /** Values not yet under the current key that may still open (under the previous key, or v1). */
  remaining: number;
  /** Values that opened with neither configured key. */
  unreadable: number;
}

export interface ResealReport extends SealStatus {
  /** Values re-sealed by this pass. */
  resealed: number;
}

export interface ResealOptions {
  /** Stop starting new batches after this time (epoch ms). */
  deadline: number;
  batchSize?: number;
  /** Told the ids of secrets that were just found unreadable. */
  onUnreadable?: (secretIds: string[]) => Promise<void>;
}

/** Counts what is left under old keys, in one query. */
export async function sealStatus(db: Database, keyring: Keyring): Promise<SealStatus> {
  const { notCurrent, retryable } = conditions(keyring);
  const row = await db
    .select({
      remaining: sql<number>`coalesce(sum(case when ${and(notCurrent, retryable)} then 1 else 0 end), 0)`,
      unreadable: sql<number>`coalesce(sum(case when ${and(notCurrent, eq(schema.secrets.unreadableUnder, keyring.tag))} then 1 else 0 end), 0)`,
    })
    .from(schema.secrets)
    .get();
  return { remaining: Number(row?.remaining ?? 0), unreadable: Number(row?.unreadable ?? 0) };
}

/** Re-seals batches until nothing is left or the deadline passes; reports what it did and what remains. */
export async function resealSecrets(db: Database, keyring: Keyring, options: ResealOptions): Promise<ResealReport> {
  const batchSize = options.batchSize ?? RESEAL_BATCH_SIZE;
  const { notCurrent, retryable } = conditions(keyring);
  let resealed = 0;
  // Keyset order by id: each row is looked at once per pass, whatever happens to it.
  let after = "";
  while (Date.now() < options.deadline) {
    const rows = await db
      .select({ id: schema.secrets.id, ciphertext: schema.secrets.ciphertext })
      .from(schema.secrets)
      .where(and(notCurrent, retryable, gt(schema.secrets.id, after)))
      .orderBy(asc(schema.secrets.id))
      .limit(batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;

    const writes = await Promise.all(
      rows.map(async (row) => {
        const unchanged = and(eq(schema.secrets.id, row.id), eq(schema.secrets.ciphertext, row.ciphertext));
        const plaintext = await openOrNull(keyring, row.ciphertext, `secret:${row.id}`);
        if (plaintext === null) return { id: row.id, opened: false, statement: db.update(schema.secrets).set({ unreadableUnder: keyring.tag }).where(unchanged) };
        const ciphertext = await keyring.encrypt(plaintext, `secret:${row.id}`);
        return { id: row.id, opened: true, statement: db.update(schema.secrets).set({ ciphertext, unreadableUnder: null }).where(unchanged) };
      }),
    );
    // Isolates cache connections with their sealed credentials: a new ciphertext makes those
    // copies stale (they would not open once the previous key is gone), so the batch says so.
    const statements = [...writes.map((write) => write.statement), bumpRevision(db, "connections")];
    const results = (await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]])) as unknown as { meta: { changes: number } }[];
    const unreadable: string[] = [];
    writes.forEach((write, index) => {
      if (results[index]?.meta.changes !== 1) return; // changed meanwhile: the newer value stands
      if (write.opened) resealed += 1;
      else unreadable.push(write.id);
    });
    if (unreadable.length > 0) await options.onUnreadable?.(unreadable);
  }
  return { resealed, ...(await sealStatus(db, keyring)) };
}

function conditions(keyring: Keyring): { notCurrent: SQL; retryable: SQL } {
  return {
    notCurrent: sql`substr(${schema.secrets.ciphertext}, 1, ${SEALED_PREFIX_LENGTH}) <> ${sealedPrefix(keyring.keyId)}`,
    retryable: or(isNull(schema.secrets.unreadableUnder), ne(schema.secrets.unreadableUnder, keyring.tag))!,
  };
}

async function openOrNull(keyring: Keyring, stored: string, context: string): Promise<string | null> {
  try {
    return await keyring.decrypt(stored, context);
  } catch (error) {
    if (error instanceof SecretDecryptionError) return null;
    throw error;
  }
}
