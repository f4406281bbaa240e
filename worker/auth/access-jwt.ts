/**
 * Verifies a Cloudflare Access assertion (`Cf-Access-Jwt-Assertion`) and returns its claims.
 * Returns a result with a tagged reason instead of throwing: the gate logs the exact reason
 * and answers the caller with a plain 401.
 */
import { errors, jwtVerify, type JWTPayload } from "jose";
import type { AccessSettings } from "../config";
import { KeysUnavailableError, type AccessKeyStore } from "./access-keys";

/** Access clocks and ours may differ by a little; 30 s tolerates normal drift without keeping dead tokens alive long. */
export const CLOCK_TOLERANCE_S = 30;

export type AccessJwtFailure =
  | "malformed"
  | "algorithm_not_allowed"
  | "unknown_key"
  | "bad_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "not_yet_valid"
  | "invalid_claims"
  | "keys_unavailable";

export type AccessJwtResult = { ok: true; claims: JWTPayload } | { ok: false; reason: AccessJwtFailure; detail: string };

/** Checks signature (RS256 only), issuer, audience (any of the configured tags), exp/nbf. */
export async function verifyAccessJwt(
  token: string,
  settings: AccessSettings,
  keys: AccessKeyStore,
  now: number,
): Promise<AccessJwtResult> {
  try {
    const { payload } = await jwtVerify(token, (header, input) => keys.keyFor(header, input, now), {
      // Pinning the algorithm stops `alg: none` and HS256-signed-with-the-public-key forgeries.
      algorithms: ["RS256"],
      issuer: settings.issuer,
      // Always an explicit, non-empty list: an empty audience once silently disabled the check.
      audience: settings.audiences,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(now),
      requiredClaims: ["exp"],
    });
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, reason: failureReason(error), detail: error instanceof Error ? error.message : String(error) };
  }
}

function failureReason(error: unknown): AccessJwtFailure {
  if (error instanceof KeysUnavailableError) return "keys_unavailable";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "algorithm_not_allowed";
  if (error instanceof errors.JWKSNoMatchingKey) return "unknown_key";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "wrong_issuer";
    if (error.claim === "aud") return "wrong_audience";
    if (error.claim === "nbf") return "not_yet_valid";
    return "invalid_claims";
  }
  return "malformed";
}
