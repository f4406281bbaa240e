/**
 * The keys secrets are sealed under: EXECUTOR_SECRET_KEY (current) and, during a rotation,
 * EXECUTOR_SECRET_KEY_PREVIOUS. This is the one place that decides which key opens a stored
 * value: a v2 value names its key; a v1 value (older than key ids) is tried with the current
 * key, then the previous one. New values are always sealed under the current key.
 * It does not re-seal anything (rotation.ts does) and does not read D1.
 */
import { parseSealed, SecretDecryptionError, secretBox, sealedPrefix, type SecretBox } from "./secret-box";

/** The key material as config holds it. */
export interface SecretKeys {
  current: string;
  /** Set during a rotation, so values sealed under the old key still open. */
  previous: string | null;
}

/** A SecretBox over both keys: seals with the current one, opens with whichever sealed the value. */
export interface Keyring extends SecretBox {
  /** The previous key's id, or null when none is configured. */
  readonly previousKeyId: string | null;
  /** `<current id>:<previous id or ->`: names this pair of keys, to remember what failed under it. */
  readonly tag: string;
  /** True when `stored` is sealed under the current key in the current form (nothing to re-seal). */
  isCurrent(stored: string): boolean;
}

/** The isolate's keyring for these keys (each key's HKDF runs once per isolate). */
export async function secretKeyring(keys: SecretKeys): Promise<Keyring> {
  const current = await secretBox(keys.current);
  const previous = keys.previous && keys.previous !== keys.current ? await secretBox(keys.previous) : null;
  const prefix = sealedPrefix(current.keyId);
  return {
    keyId: current.keyId,
    previousKeyId: previous?.keyId ?? null,
    tag: `${current.keyId}:${previous?.keyId ?? "-"}`,
    isCurrent: (stored) => stored.startsWith(prefix),
    encrypt: (plaintext, context) => current.encrypt(plaintext, context),
    async decrypt(stored, context) {
      const { keyId } = parseSealed(stored);
      if (keyId === current.keyId) return current.decrypt(stored, context);
      if (previous && keyId === previous.keyId) return previous.decrypt(stored, context);
      if (keyId !== null) {
        throw new SecretDecryptionError("Stored secret was sealed under a key that is neither EXECUTOR_SECRET_KEY nor EXECUTOR_SECRET_KEY_PREVIOUS");
      }
      try {
        return await current.decrypt(stored, context);
      } catch (error) {
        if (!previous) throw error;
        return previous.decrypt(stored, context);
      }
    },
  };
}
