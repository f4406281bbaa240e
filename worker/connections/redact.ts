/**
 * Keeps a connection's secrets out of everything a program, the history or a log sees: every
 * stored secret that appears in a value is replaced by `[redacted]`, and so is each form an
 * upstream may echo it back in: URL-encoded (either hex case), form-encoded, base64 (standard
 * and URL alphabets, at any byte alignment, so a secret inside a longer encoded header is
 * found too) and JSON-escaped. It must run on the whole text before anything is trimmed or
 * folded, so no cut can leave a piece of a secret behind.
 */

export const REDACTED = "[redacted]";

/** Shorter fragments would redact ordinary text by accident. */
const MIN_FORM_CHARS = 4;

/** A deep copy of `value` with every form of each secret in any string (keys too) replaced. */
export function redactSecrets<T>(value: T, secrets: string[]): T {
  const forms = secretForms(secrets);
  if (forms.length === 0) return value;
  const redact = (item: unknown): unknown => {
    if (typeof item === "string") return redactText(item, forms);
    if (Array.isArray(item)) return item.map(redact);
    if (item !== null && typeof item === "object") return Object.fromEntries(Object.entries(item).map(([key, inner]) => [redactText(key, forms), redact(inner)]));
    return item;
  };
  return redact(value) as T;
}

/**
 * The same for a body that is not text, held as a binary string (one character per byte):
 * each form of each secret, as its UTF-8 bytes, is replaced by the bytes of `[redacted]`.
 * The body's length changes where a secret was found, which corrupts the file there: a
 * file that carries the credential is worth less than the credential.
 */
export function redactBinarySecrets(binary: string, secrets: string[]): string {
  const forms = secretForms(secrets)
    .map(binaryOf)
    .sort((a, b) => b.length - a.length);
  return forms.length === 0 ? binary : redactText(binary, forms);
}

/** Every form to look for, longest first so a longer form is replaced before a part of it. */
function secretForms(secrets: string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_FORM_CHARS) continue;
    const uriEncoded = encodeURIComponent(secret);
    for (const form of [
      secret,
      uriEncoded,
      lowerHex(uriEncoded),
      new URLSearchParams({ s: secret }).toString().slice(2),
      ...jsonForms(secret),
      ...base64Forms(secret),
    ]) {
      if (form.length >= MIN_FORM_CHARS) forms.add(form);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Text as the binary string of its UTF-8 bytes. */
function binaryOf(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return binary;
}

function redactText(text: string, forms: string[]): string {
  let result = text;
  for (const form of forms) if (result.includes(form)) result = result.split(form).join(REDACTED);
  return result;
}

/**
 * JSON-escaped, as serialisers write it: plain, with non-ASCII as `\uXXXX` (either hex case),
 * and with `/` as `\/`.
 */
function jsonForms(secret: string): string[] {
  const plain = JSON.stringify(secret).slice(1, -1);
  const escapeNonAscii = (hex: (code: string) => string) => plain.replace(/[\u007f-\uffff]/g, (char) => `\\u${hex(char.charCodeAt(0).toString(16).padStart(4, "0"))}`);
  const spellings = [plain, escapeNonAscii((code) => code), escapeNonAscii((code) => code.toUpperCase())];
  return [...spellings, ...spellings.map((spelling) => spelling.replaceAll("/", "\\/"))];
}

/** `%2F` → `%2f`: the same bytes, as some servers write them. */
function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/**
 * The base64 characters that depend only on the secret's bytes, for each of the three byte
 * alignments it can have inside a longer encoded value, in both alphabets.
 */
function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    let binary = "";
    for (const byte of padded) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    // Characters whose 6 bits all come from the secret: after the prefix, before the padding.
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * padded.length) / 6));
    forms.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}
