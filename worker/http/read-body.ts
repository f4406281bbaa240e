/**
 * Reads a JSON request body with a size cap, so a huge body is refused
 * before it is buffered whole.
 */
import { ExecutorError } from "../errors";

/** The cap for ordinary bodies (docs/api.md). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Parses the request body as a JSON object, or throws `invalid_request` / `payload_too_large`. */
export async function readJsonObject(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readJsonText(request, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ExecutorError("invalid_request", "Request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ExecutorError("invalid_request", "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/**
 * The request body, which must be JSON, as text; refused with `payload_too_large` past
 * `maxBytes`. Where characters outside ASCII are rare, they come back as JSON `\u` escapes,
 * which JSON.parse reads as the same characters: V8 then keeps the text at one byte per
 * character instead of two (a 13 MB spec with a single curly quote would otherwise take 26 MiB
 * of heap as text).
 */
export async function readJsonText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(escapeNonAscii(bytes));
}

/**
 * Escaping pays only when non-ASCII bytes are rare: each becomes up to six, while decoding the
 * text plainly costs two bytes a character. Past this share of the body, it is decoded as is.
 */
const MAX_ESCAPED_SHARE = 1 / 16;

/**
 * UTF-8 JSON with every non-ASCII character written as `\uXXXX` (two for one beyond U+FFFF);
 * a malformed sequence becomes U+FFFD, as TextDecoder would make it. After an unpaired
 * backslash the bytes are left as they are: `"\é"` is not JSON, and `"\\u00e9"` would be.
 */
function escapeNonAscii(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  let nonAscii = 0;
  for (let i = 0; i < n; i++) if (bytes[i]! > 0x7f) nonAscii++;
  if (nonAscii === 0 || nonAscii > n * MAX_ESCAPED_SHARE) return bytes;
  // Each non-ASCII byte becomes at most six (a malformed one: \ufffd).
  const out = new Uint8Array(n + 5 * nonAscii);
  let written = 0;
  const escape = (unit: number) => {
    out[written++] = 0x5c;
    out[written++] = 0x75;
    for (let shift = 12; shift >= 0; shift -= 4) out[written++] = HEX.charCodeAt((unit >> shift) & 0xf);
  };
  for (let i = 0; i < n; ) {
    let end = i;
    while (end < n && bytes[end]! < 0x80) end++;
    out.set(bytes.subarray(i, end), written);
    written += end - i;
    if (end === n) break;
    let backslashes = 0;
    while (end - backslashes > 0 && bytes[end - backslashes - 1] === 0x5c) backslashes++;
    const [codePoint, length] = decodeUtf8(bytes, end);
    if (backslashes % 2 === 1) {
      out.set(bytes.subarray(end, end + length), written);
      written += length;
    } else if (codePoint > 0xffff) {
      escape(0xd800 + ((codePoint - 0x10000) >> 10));
      escape(0xdc00 + ((codePoint - 0x10000) & 0x3ff));
    } else escape(codePoint);
    i = end + length;
  }
  return out.subarray(0, written);
}

const HEX = "0123456789abcdef";

/** The code point at `i` and its length in bytes; U+FFFD and 1 for a malformed sequence. */
function decodeUtf8(bytes: Uint8Array, i: number): [number, number] {
  const lead = bytes[i]!;
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0) return [0xfffd, 1];
  let codePoint = lead & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = bytes[i + k];
    if (next === undefined || (next & 0xc0) !== 0x80) return [0xfffd, 1];
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const shortest = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
  if (codePoint < shortest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return [0xfffd, 1];
  return [codePoint, length];
}

function tooLarge(maxBytes: number): ExecutorError {
  return new ExecutorError("payload_too_large", `Request body exceeds ${Math.round(maxBytes / 1024)} KiB`);
}
