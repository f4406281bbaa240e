/** PKCE (RFC 7636) with S256, and the random values of a flow. */
import { base64url } from "jose";

/** A fresh random value, base64url, from `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 challenge for a verifier. */
export async function challengeFor(verifier: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** Hex SHA-256, for storing a state by its hash. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

