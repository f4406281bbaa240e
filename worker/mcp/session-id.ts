/**
 * The MCP session id: a self-contained, signed token. /mcp keeps no memory between requests
 * (any isolate answers any request), yet a later request must know what the client declared
 * at `initialize`: whether it can send its user to a URL (URL-mode elicitation). So the
 * session id carries it, with who initialised and for which endpoint, under an HMAC-SHA-256
 * keyed from EXECUTOR_SECRET_KEY (HKDF, its own `info`, so no other use of the secret shares
 * the key).
 *
 * Form: `mcp1.<base64url JSON claims>.<base64url HMAC>`: visible ASCII, as the transport
 * requires of `Mcp-Session-Id`.
 *
 * The token is not a credential: every request still passes the Access gate, and a session
 * id is honoured only for the identity that initialised it, on the same endpoint. A stolen
 * one is worth nothing; a forged or altered one fails the signature; one of another identity
 * or endpoint is refused. Each refusal's exact reason is returned for the log; the caller
 * answers them all alike (404, "initialize again", as the MCP transport specifies for an
 * unknown session). The trade-off of a stateless token is that it cannot be revoked before it
 * expires, which is acceptable because it grants nothing on its own.
 */
import { base64url } from "jose";

/** What the session id asserts. Times in seconds since the epoch. */
export interface SessionClaims {
  /** The identity that initialised: `user:<email>` or `service:<common_name>`. */
  sub: string;
  /** The endpoint: `""` for /mcp, a toolkit's slug for /mcp/toolkits/<slug>. */
  ep: string;
  /** The client declared URL-mode elicitation (`capabilities.elicitation.url`). */
  url: boolean;
  iat: number;
  exp: number;
}

export type SessionCheck =
  | { ok: true; claims: SessionClaims }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "other_identity" | "other_endpoint" };

/**
 * A week: long enough that a working client is rarely asked to initialise again (per the
 * transport, it must on a 404), short enough that tokens signed before a key change die out.
 */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
const PREFIX = "mcp1";
/** Far above any real token (about 250 characters); a longer header is refused unread. */
const MAX_TOKEN_CHARS = 2_048;
const HKDF_SALT = new TextEncoder().encode("executor-for-cloudflare");
const HKDF_INFO = new TextEncoder().encode("executor/mcp-session/v1 hmac-sha-256");

const keys = new Map<string, Promise<CryptoKey>>();

/** Signs `claims` into a session id. */
export async function signSessionId(secretKey: string, claims: SessionClaims): Promise<string> {
  const body = `${PREFIX}.${base64url.encode(new TextEncoder().encode(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign("HMAC", await sessionKey(secretKey), new TextEncoder().encode(body));
  return `${body}.${base64url.encode(new Uint8Array(signature))}`;
}

/** The claims for a new session of `identityId` on `endpoint`, issued at `now` (ms). */
export function newSessionClaims(identityId: string, endpoint: string, url: boolean, now: number): SessionClaims {
  const iat = Math.floor(now / 1000);
  return { sub: identityId, ep: endpoint, url, iat, exp: iat + SESSION_TTL_SECONDS };
}

/**
 * Checks a session id for `expected.identityId` on `expected.endpoint` at `now` (ms). One
 * signed with the previous key passes too while a rotation keeps it, so clients keep their
 * sessions through a rotation.
 */
export async function verifySessionId(
  secretKeys: { current: string; previous: string | null },
  token: string,
  expected: { identityId: string; endpoint: string },
  now: number,
): Promise<SessionCheck> {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: "malformed" };
  const [prefix, payload, signature, ...rest] = token.split(".");
  if (prefix !== PREFIX || !payload || !signature || rest.length > 0) return { ok: false, reason: "malformed" };
  const signatureBytes = fromBase64Url(signature);
  const payloadBytes = fromBase64Url(payload);
  if (!signatureBytes || !payloadBytes) return { ok: false, reason: "malformed" };
  // The signature is checked before the claims are even parsed (WebCrypto compares in constant time).
  const signed = new TextEncoder().encode(`${prefix}.${payload}`);
  let valid = await crypto.subtle.verify("HMAC", await sessionKey(secretKeys.current), signatureBytes, signed);
  if (!valid && secretKeys.previous !== null) valid = await crypto.subtle.verify("HMAC", await sessionKey(secretKeys.previous), signatureBytes, signed);
  if (!valid) return { ok: false, reason: "bad_signature" };
  const claims = parseClaims(payloadBytes);
  if (!claims) return { ok: false, reason: "malformed" };
  if (claims.exp * 1000 <= now) return { ok: false, reason: "expired" };
  if (claims.sub !== expected.identityId) return { ok: false, reason: "other_identity" };
  if (claims.ep !== expected.endpoint) return { ok: false, reason: "other_endpoint" };
  return { ok: true, claims };
}

function sessionKey(secretKey: string): Promise<CryptoKey> {
  let key = keys.get(secretKey);
  if (!key) {
    key = deriveKey(secretKey);
    keys.set(secretKey, key);
    key.catch(() => keys.delete(secretKey));
  }
  return key;
}

async function deriveKey(secretKey: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secretKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO }, material, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign", "verify"]);
}

function parseClaims(bytes: Uint8Array): SessionClaims | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const claims = value as Partial<SessionClaims> | null;
  if (typeof claims !== "object" || claims === null) return null;
  if (typeof claims.sub !== "string" || typeof claims.ep !== "string" || typeof claims.url !== "boolean") return null;
  if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp)) return null;
  return { sub: claims.sub, ep: claims.ep, url: claims.url, iat: claims.iat!, exp: claims.exp! };
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    // jose decodes into a fresh ArrayBuffer.
    return base64url.decode(text) as Uint8Array<ArrayBuffer>;
  } catch {
    return null;
  }
}
