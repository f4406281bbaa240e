/**
 * The Access team's signing keys, cached per isolate (one store per certs URL).
 *
 * Keys rotate every six weeks and a token may name a key we have not seen yet, so an
 * unknown `kid` triggers a refetch. That refetch is what an attacker can provoke at will
 * by inventing kids, so it is rate limited: at most one fetch per REFETCH_COOLDOWN_MS,
 * claimed before the fetch starts so a concurrent burst shares it. The trade-off: for up
 * to that cooldown after a rotation, a token with the brand-new kid may be refused once.
 * This module does not verify tokens; access-jwt.ts does.
 */
import { createLocalJWKSet, errors, type JWSHeaderParameters, type FlattenedJWSInput } from "jose";

/** Minimum gap between two fetches of the certs endpoint. */
export const REFETCH_COOLDOWN_MS = 5_000;
/** Keys older than this are refreshed before use (the previous key stays valid 7 days). */
export const KEYS_MAX_AGE_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 64 * 1024;

type KeyLookup = ReturnType<typeof createLocalJWKSet>;

/** Thrown when the certs endpoint cannot be read and no keys are cached. */
export class KeysUnavailableError extends Error {}

export class AccessKeyStore {
  readonly #certsUrl: string;
  #lookup: KeyLookup | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;

  constructor(certsUrl: string) {
    this.#certsUrl = certsUrl;
  }

  /** The verification key for a token header; jose calls this during `jwtVerify`. */
  async keyFor(header: JWSHeaderParameters, token: FlattenedJWSInput, now: number): Promise<CryptoKey> {
    if (!this.#lookup || now - this.#fetchedAt > KEYS_MAX_AGE_MS) await this.#refresh(now);
    try {
      return (await this.#lookup!(header, token)) as CryptoKey;
    } catch (error) {
      const unknownKid = error instanceof errors.JWKSNoMatchingKey;
      if (!unknownKid || now - this.#lastAttemptAt < REFETCH_COOLDOWN_MS) throw error;
      await this.#refresh(now);
      return (await this.#lookup!(header, token)) as CryptoKey;
    }
  }

  async #refresh(now: number): Promise<void> {
    // Another request's fetch is in flight: share it, but never hang on it, since in
    // workerd that request may be cancelled and its promise left unsettled.
    if (this.#inflight) {
      const shared = await settledWithin(this.#inflight, FETCH_TIMEOUT_MS);
      if (shared && this.#lookup) return;
    }
    this.#lastAttemptAt = now;
    const attempt = this.#fetchKeys(now);
    this.#inflight = attempt;
    try {
      await attempt;
    } catch (error) {
      // Stale keys beat no keys: a certs outage must not lock everyone out.
      if (!this.#lookup) throw error;
      console.warn("access keys: refresh failed, keeping cached keys", String(error));
    } finally {
      if (this.#inflight === attempt) this.#inflight = undefined;
    }
  }

  async #fetchKeys(now: number): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.#certsUrl, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new KeysUnavailableError(`could not fetch ${this.#certsUrl}: ${String(error)}`);
    }
    if (!response.ok) throw new KeysUnavailableError(`${this.#certsUrl} answered ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_JWKS_BYTES) throw new KeysUnavailableError(`${this.#certsUrl} answered an oversized key set`);
    let lookup: KeyLookup;
    try {
      lookup = createLocalJWKSet(JSON.parse(text));
    } catch (error) {
      throw new KeysUnavailableError(`${this.#certsUrl} answered an invalid key set: ${String(error)}`);
    }
    this.#lookup = lookup;
    this.#fetchedAt = now;
  }
}

const stores = new Map<string, AccessKeyStore>();

/** The isolate's key store for a certs URL. */
export function accessKeyStore(certsUrl: string): AccessKeyStore {
  let store = stores.get(certsUrl);
  if (!store) {
    store = new AccessKeyStore(certsUrl);
    stores.set(certsUrl, store);
  }
  return store;
}

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => false), timeout]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
