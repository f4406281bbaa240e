/**
 * An upstream's 2xx HTTP answer as a program sees it, for every HTTP-based source: the body
 * as JSON, text or binary (`{contentType, size, base64}`, never text decoded from bytes that
 * are not text), and with `response: "full"` the status and the headers a program may read.
 * Every secret of the connection is redacted from all of it first. Pure.
 *
 * It does not send anything, judge the status (http-call.ts does) or cap sizes (the outbound
 * client's response cap and the sandbox's limits do; docs/agents.md, Call options).
 */
import type { FullResponse, ResponseMode } from "../catalog";
import { redactBinarySecrets, redactSecrets } from "../connections";
import { mediaKind } from "../http";

/** A non-text answer: its declared type, its size in bytes and its bytes in base64. */
export interface BinaryBody {
  contentType: string;
  size: number;
  base64: string;
}

/** What an answer needs to be read: the outbound client's response, or any with the same fields. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** A body without a declared type is labelled as the generic binary type when it is not text. */
const UNTYPED_BINARY = "application/octet-stream";

/**
 * Response headers a program never sees, whatever their value. Cookies are sessions (a
 * program that could read them could replay them elsewhere); the authentication headers can
 * carry challenges, nonces or echoed credentials and say nothing a program needs. The
 * connection's own header names (an API key header some upstreams echo back) are dropped too.
 */
const HIDDEN_HEADERS = new Set([
  "set-cookie",
  "set-cookie2",
  "cookie",
  "authorization",
  "proxy-authorization",
  "www-authenticate",
  "proxy-authenticate",
  "authentication-info",
  "proxy-authentication-info",
]);

/**
 * What the call answers the program: the redacted body, or with `full` the body with the
 * status and the visible headers. `credentialHeaders` are the header names the connection
 * added to the request.
 */
export function readAnswer(answer: HttpAnswer, secrets: string[], credentialHeaders: string[], mode: ResponseMode): unknown {
  const data = readBody(answer, secrets);
  return mode === "full" ? fullResponse(answer, data, secrets, credentialHeaders) : data;
}

/** `{data, status, headers}` for data already read. */
export function fullResponse(answer: HttpAnswer, data: unknown, secrets: string[], credentialHeaders: string[]): FullResponse {
  return { data, status: answer.status, headers: visibleHeaders(answer.headers, secrets, credentialHeaders) };
}

/**
 * The body, redacted: null when empty; parsed JSON for a JSON type (text if it does not
 * parse); text for a text type; `{contentType, size, base64}` for anything else, and for a
 * text type whose bytes are not valid UTF-8 (a latin-1 page, a mislabelled file), so the
 * program always gets the exact bytes rather than replacement characters.
 */
export function readBody(answer: HttpAnswer, secrets: string[]): unknown {
  if (answer.status === 204 || answer.body.length === 0) return null;
  const contentType = answer.headers.get("content-type") ?? "";
  const kind = mediaKind(contentType);
  // Multipart answers (byte ranges, mixed parts) are kept whole as bytes too.
  if (kind !== "binary" && kind !== "multipart") {
    const text = strictUtf8(answer.body);
    // Without a type, text is what decodes and has no NUL byte (binary formats are full of them).
    if (text !== null && !(kind === "none" && text.includes("\u0000"))) {
      if (kind === "json") {
        try {
          return redactSecrets(JSON.parse(text) as unknown, secrets);
        } catch {
          // Declared JSON but not JSON: the text as it came.
        }
      }
      return redactSecrets(text, secrets);
    }
  }
  return binaryBody(answer.body, contentType === "" ? UNTYPED_BINARY : redactSecrets(contentType, secrets), secrets);
}

/**
 * The response headers a program may read: lower-case names, repeated headers joined with
 * `, ` (as `Headers` does), secrets redacted from every value, and HIDDEN_HEADERS and the
 * connection's own header names left out.
 */
export function visibleHeaders(headers: Headers, secrets: string[], credentialHeaders: string[]): Record<string, string> {
  const hidden = new Set(credentialHeaders.map((name) => name.toLowerCase()));
  const visible: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (HIDDEN_HEADERS.has(name) || hidden.has(name)) continue;
    visible[name] = value;
  }
  return redactSecrets(visible, secrets);
}

// --- private ---

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Bytes per String.fromCharCode call: well under any engine's argument limit. */
const CHUNK_BYTES = 0x8000;

function binaryBody(bytes: Uint8Array, contentType: string, secrets: string[]): BinaryBody {
  // A "binary string" (one char per byte) is what btoa takes, and lets redaction use the
  // engine's native substring search instead of a byte loop over up to 10 MB.
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK_BYTES));
  }
  const redacted = redactBinarySecrets(binary, secrets);
  return { contentType, size: redacted.length, base64: btoa(redacted) };
}
