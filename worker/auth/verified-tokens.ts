/**
 * A per-isolate memo of assertions that already passed verification. Agents send the same
 * Access JWT on every request; remembering the exact token string skips the RSA check and
 * claim parsing. Only byte-identical tokens hit, so nothing can be forged through it, and an
 * entry lives at most until the token's own `exp` (and never longer than MAX_AGE_MS).
 */
import type { JWTPayload } from "jose";

const MAX_ENTRIES = 1_000;
const MAX_AGE_MS = 5 * 60_000;

const entries = new Map<string, { claims: JWTPayload; validUntil: number }>();

/** The claims of a token verified earlier and still valid at `now`, else undefined. */
export function rememberedClaims(token: string, issuer: string, now: number): JWTPayload | undefined {
  const entry = entries.get(`${issuer} ${token}`);
  if (!entry) return undefined;
  if (now >= entry.validUntil) {
    entries.delete(`${issuer} ${token}`);
    return undefined;
  }
  return entry.claims;
}

/** Remembers a token that just passed full verification. */
export function rememberClaims(token: string, issuer: string, claims: JWTPayload, now: number): void {
  if (typeof claims.exp !== "number") return;
  const validUntil = Math.min(claims.exp * 1000, now + MAX_AGE_MS);
  if (validUntil <= now) return;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(`${issuer} ${token}`, { claims, validUntil });
}
