/**
 * The guard's settings, shared by the buffered and the streaming client: what a caller may
 * set, the defaults, and the one place they are checked. It does not fetch anything.
 */

/** Default deadline: the whole exchange (buffered) or until the response headers (streaming). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default cap on a response body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** Default number of redirects followed (docs/security.md). */
export const DEFAULT_MAX_REDIRECTS = 5;

/** The guard's settings for one call. */
export interface OutboundOptions {
  /** ALLOW_LOCAL_NETWORK: permits private, loopback and link-local targets (never metadata). */
  allowLocalNetwork: boolean;
  /**
   * `guardedFetch`: deadline for the whole exchange, redirects and reading the body included.
   * `guardedStreamingFetch`: deadline until the final response's headers arrive, redirects
   * included; the stream itself may last longer (the caller's signal ends it).
   */
  timeoutMs?: number;
  /** Larger bodies fail with `too_large`; reading stops and the stream is cancelled. */
  maxResponseBytes?: number;
  /** Redirects followed before failing with `too_many_redirects`. */
  maxRedirects?: number;
  /**
   * What the connection added: dropped when a redirect leaves `origin`.
   * (Authorization and Cookie are always dropped on a cross-origin hop too.)
   */
  credentials?: { origin: string; headers: string[]; queryParams: string[] };
  /**
   * The request body is itself a credential (a token endpoint's code, refresh token or client
   * secret): a 307/308 to another origin, which would re-send it there, fails instead.
   */
  secretBody?: boolean;
  /** Injectable for tests; defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

/** OutboundOptions with every default filled in and every value checked. */
export interface OutboundSettings {
  allowLocalNetwork: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  /** The credentials with their origin normalised, or undefined when none were declared. */
  credentials?: { origin: string; headers: string[]; queryParams: string[] };
  secretBody: boolean;
  fetch: typeof fetch;
}

/** Fills in the defaults; throws a TypeError for a value no call could honour. */
export function settingsOf(options: OutboundOptions): OutboundSettings {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  requireCount("timeoutMs", timeoutMs, 1);
  requireCount("maxResponseBytes", maxResponseBytes, 0);
  requireCount("maxRedirects", maxRedirects, 0);
  const credentials = options.credentials
    ? { ...options.credentials, origin: originOf(options.credentials.origin) }
    : undefined;
  return {
    allowLocalNetwork: options.allowLocalNetwork,
    timeoutMs,
    maxResponseBytes,
    maxRedirects,
    credentials,
    secretBody: options.secretBody === true,
    // Looked up per call, not captured at module load, so a test may replace it.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
}

// --- private ---

function requireCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new TypeError(`${name} must be an integer of at least ${minimum}, got ${value}`);
  }
}

function originOf(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    throw new TypeError("credentials.origin is not a URL origin");
  }
}
