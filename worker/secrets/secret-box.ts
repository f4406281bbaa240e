/**
 * Encryption of secrets at rest: AES-256-GCM through WebCrypto with a random 12-byte IV.
 * The key is derived once per isolate with HKDF-SHA-256 from EXECUTOR_SECRET_KEY.
 *
 * Stored form: `v1.<base64url iv>.<base64url ciphertext+tag>`. The version prefix lets a
 * future key or algorithm change coexist with old rows. Each secret is sealed with its own
 * id as additional data, so a ciphertext copied onto another row does not decrypt there.
 * A wrong key or tampered data fails with SecretDecryptionError, never garbage.
 */

const VERSION = "v1";
const IV_BYTES = 12;
// Fixed, public HKDF inputs: they separate this key from any other use of the same secret.
const HKDF_SALT = new TextEncoder().encode("executor-for-cloudflare");
const HKDF_INFO = new TextEncoder().encode("executor/secrets/v1 aes-256-gcm");

/** The stored form cannot be decrypted: wrong EXECUTOR_SECRET_KEY, tampering, or not ours. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretDecryptionError";
  }
}

export interface SecretBox {
  /** Seals `plaintext` for the record `context` (e.g. the secret's id). */
  encrypt(plaintext: string, context: string): Promise<string>;
  /** Opens a stored form sealed for the same `context`, or throws SecretDecryptionError. */
  decrypt(stored: string, context: string): Promise<string>;
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

async function createSecretBox(secretKey: string): Promise<SecretBox> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secretKey), "HKDF", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return {
    async encrypt(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
        key,
        new TextEncoder().encode(plaintext),
      );
      return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },
    async decrypt(stored, context) {
      const [version, ivPart, dataPart, ...rest] = stored.split(".");
      if (version !== VERSION || !ivPart || !dataPart || rest.length > 0) {
        throw new SecretDecryptionError("Stored secret is not in a known format");
      }
      const iv = fromBase64Url(ivPart);
      if (iv.length !== IV_BYTES) throw new SecretDecryptionError("Stored secret is not in a known format");
      try {
        const opened = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
          key,
          fromBase64Url(dataPart),
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

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new SecretDecryptionError("Stored secret is not in a known format");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
