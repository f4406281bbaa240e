/**
 * Encryption of secrets at rest under ONE key: AES-256-GCM through WebCrypto with a random
 * 12-byte IV. The AES key is derived once per isolate with HKDF-SHA-256 from the key
 * material (EXECUTOR_SECRET_KEY or EXECUTOR_SECRET_KEY_PREVIOUS). Which of the two keys
 * opens a stored value is keyring.ts's job, not this file's.
 *
 * Stored forms:
 * - `v2.<key id>.<base64url iv>.<base64url ciphertext+tag>`, written now. The key id is a
 *   short one-way fingerprint of the key material, so the Worker knows which key sealed a
 *   value without trying, and can count in SQL what is still sealed under an old key.
 * - `v1.<iv>.<ciphertext+tag>`, written before key rotation existed: read, never written.
 * Both use the same derived AES key, so a v1 value opens with the key that sealed it. The key
 * id is not secret and not authenticated: altering it can only make a value fail to open.
 *
 * Each secret is sealed with its own id as additional data, so a ciphertext copied onto
 * another row does not decrypt there. A wrong key or tampered data fails with
 * SecretDecryptionError, never garbage.
 */
import { base64url } from "jose";

const IV_BYTES = 12;
// Fixed, public HKDF inputs: they separate this key from any other use of the same secret.
const HKDF_SALT = new TextEncoder().encode("executor-for-cloudflare");
const HKDF_INFO = new TextEncoder().encode("executor/secrets/v1 aes-256-gcm");
/**
 * The key id is another HKDF output of the same material (different `info`): it reveals
 * nothing about the AES key, and guessing the material from it is no easier than from any
 * ciphertext (whose GCM tag already confirms a guess). 64 bits tell two keys apart.
 */
const KEY_ID_INFO = new TextEncoder().encode("executor/secrets key-id");
const KEY_ID_BITS = 64;
const KEY_ID = /^[0-9a-f]{16}$/;

/** The first characters of every value sealed under `keyId`: `v2.<key id>.` (20 characters). */
export function sealedPrefix(keyId: string): string {
  return `v2.${keyId}.`;
}

/** The length of `sealedPrefix(...)`, for comparing it in SQL with `substr`. */
export const SEALED_PREFIX_LENGTH = 20;

/** The stored form cannot be decrypted: wrong EXECUTOR_SECRET_KEY, tampering, or not ours. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

export interface SecretBox {
  /** This key's fingerprint (16 hex characters), written into every value it seals. */
  readonly keyId: string;
  /** Seals `plaintext` for the record `context` (e.g. the secret's id). */
  encrypt(plaintext: string, context: string): Promise<string>;
  /** Opens a stored form sealed by this key for the same `context`, or throws SecretDecryptionError. */
  decrypt(stored: string, context: string): Promise<string>;
}

/** A stored form taken apart; `keyId` is null for the v1 form, which does not name its key. */
export interface SealedParts {
  keyId: string | null;
  iv: string;
  data: string;
}

/** Splits a stored form, or throws SecretDecryptionError when it is in no known format. */
export function parseSealed(stored: string): SealedParts {
  const parts = stored.split(".");
  if (parts[0] === "v1" && parts.length === 3 && parts[1] && parts[2]) return { keyId: null, iv: parts[1], data: parts[2] };
  if (parts[0] === "v2" && parts.length === 4 && KEY_ID.test(parts[1]!) && parts[2] && parts[3]) return { keyId: parts[1]!, iv: parts[2], data: parts[3] };
  throw new SecretDecryptionError("Stored secret is not in a known format");
}

const boxes = new Map<string, Promise<SecretBox>>();

/** The isolate's SecretBox for this key material; HKDF runs once per key. */
export function secretBox(secretKey: string): Promise<SecretBox> {
  let box = boxes.get(secretKey);
  if (!box) {
    box = createSecretBox(secretKey);
    boxes.set(secretKey, box);
    box.catch(() => boxes.delete(secretKey));
  }
  return box;
}

/** The key id of this key material, as `secretBox(key).keyId` has it (for deploy:setup's check). */
export async function keyIdOf(secretKey: string): Promise<string> {
  return (await secretBox(secretKey)).keyId;
}

async function createSecretBox(secretKey: string): Promise<SecretBox> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secretKey), "HKDF", false, ["deriveKey", "deriveBits"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  const idBits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: KEY_ID_INFO }, material, KEY_ID_BITS);
  const keyId = [...new Uint8Array(idBits)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return {
    keyId,
    async encrypt(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
        key,
        new TextEncoder().encode(plaintext),
      );
      return `${sealedPrefix(keyId)}${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
    },
    async decrypt(stored, context) {
      const parts = parseSealed(stored);
      if (parts.keyId !== null && parts.keyId !== keyId) throw new SecretDecryptionError("Stored secret was sealed under another key");
      const iv = fromBase64Url(parts.iv);
      if (iv.length !== IV_BYTES) throw new SecretDecryptionError("Stored secret is not in a known format");
      try {
        const opened = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
          key,
          fromBase64Url(parts.data),
        );
        return new TextDecoder().decode(opened);
      } catch {
        throw new SecretDecryptionError(
          "Stored secret could not be decrypted: EXECUTOR_SECRET_KEY differs from the one that sealed it, or the data was altered",
        );
      }
    },
  };
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new SecretDecryptionError("Stored secret is not in a known format");
  // jose decodes into a fresh ArrayBuffer.
  return base64url.decode(text) as Uint8Array<ArrayBuffer>;
}
