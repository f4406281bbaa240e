/**
 * `X-Executor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, the same
 * scheme as Stripe's webhooks (docs/operations.md#verifying-the-signature). The timestamp is
 * inside the MAC, so a receiver that rejects old timestamps also rejects replays; each retry
 * is signed afresh.
 */

/** The header name. */
export const SIGNATURE_HEADER = "X-Executor-Signature";

/** The header value for `body` sent at `nowMs`. */
export async function signatureHeader(secret: string, body: string, nowMs: number): Promise<string> {
  const t = Math.floor(nowMs / 1000);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`));
  const hex = [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `t=${t},v1=${hex}`;
}
