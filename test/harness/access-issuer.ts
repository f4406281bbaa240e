/**
 * A stand-in for a Cloudflare Access team: RSA keys, the JWKS it publishes at
 * `/cdn-cgi/access/certs`, and tokens signed the way Access signs them. The Worker verifies
 * these through its production code path; only the keys are the test's.
 */
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from "jose";

export const TEAM_DOMAIN = "test-team.cloudflareaccess.com";
export const ISSUER = `https://${TEAM_DOMAIN}`;
export const CERTS_URL = `${ISSUER}/cdn-cgi/access/certs`;
export const AUD = "aud-tag-0123456789abcdef";

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface MintOptions {
  /** The header's kid (default: the signing key's). */
  kid?: string;
  /** Which test key signs (default: `kid`, else the first key). */
  signWith?: string;
  issuer?: string;
  audience?: string | string[];
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Seconds from now for `nbf`. */
  notBefore?: number;
}

export class AccessIssuer {
  readonly keys = new Map<string, TestKey>();
  /** kids currently served in the JWKS. */
  readonly published = new Set<string>();
  /** How many times the Worker fetched the certs endpoint. */
  certsFetches = 0;
  /** While true, the certs endpoint answers 503. */
  certsDown = false;
  /** The `iss` of minted tokens (a benchmark may serve the keys from a local origin). */
  issuerUrl = ISSUER;

  /** Creates a key; publishes it in the JWKS unless told not to. */
  async addKey(kid: string, publish = true): Promise<TestKey> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    const key = { kid, privateKey, publicJwk };
    this.keys.set(kid, key);
    if (publish) this.published.add(kid);
    return key;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [...this.published].map((kid) => this.keys.get(kid)!.publicJwk) };
  }

  /** The certs endpoint, as Miniflare's outbound service answers it. */
  serveCerts(): Response {
    this.certsFetches += 1;
    if (this.certsDown) return new Response("unavailable", { status: 503 });
    return Response.json(this.jwks());
  }

  /** A token signed RS256 by `kid` (default: the first key) with Access's standard claims. */
  async mint(claims: JWTPayload, options: MintOptions = {}): Promise<string> {
    const signer = options.signWith ?? options.kid ?? [...this.keys.keys()][0]!;
    const key = this.keys.get(signer);
    if (!key) throw new Error(`no test key ${signer}`);
    const kid = options.kid ?? signer;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ type: "app", ...claims })
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(options.issuer ?? this.issuerUrl)
      .setAudience(options.audience ?? [AUD])
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 3600));
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(key.privateKey);
  }

  /** A human's token, as Access issues after an IdP login. */
  user(email: string, extra: JWTPayload = {}, options: MintOptions = {}): Promise<string> {
    return this.mint({ email, sub: `sub-${email}`, ...extra }, options);
  }

  /** A service token's assertion: `common_name` is the client id, `sub` is empty. */
  service(commonName: string, options: MintOptions = {}): Promise<string> {
    return this.mint({ common_name: commonName, sub: "" }, options);
  }
}
