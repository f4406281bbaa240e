/**
 * The gate every surface passes: /api, /mcp and the console. It turns a request into an
 * Identity or refuses it. Order matters: config (503) before anything, then the assertion
 * (401), then the organization selector (404).
 */
import { isLoopbackHost, requireConfig, type Config } from "../config";
import { ExecutorError } from "../errors";
import { verifyAccessJwt } from "./access-jwt";
import { accessKeyStore } from "./access-keys";
import { humanIdentity, identityFromClaims, type Identity } from "./identity";
import { rememberClaims, rememberedClaims } from "./verified-tokens";

export const ASSERTION_HEADER = "cf-access-jwt-assertion";
export const ORG_SELECTOR_HEADER = "x-executor-organization";

/** What a handler behind the gate knows about its caller. */
export interface Caller {
  identity: Identity;
  config: Config;
}

let warnedDevIdentityIgnored = false;

/** Authenticates the request or throws the 503 / 401 / 404 ExecutorError of docs/security.md. */
export async function authenticate(request: Request, env: Env): Promise<Caller> {
  const config = requireConfig(env);
  const identity = config.access ? await identityFromAssertion(request, config) : localDevIdentity(request, config);
  checkOrganizationSelector(request, config);
  return { identity, config };
}

async function identityFromAssertion(request: Request, config: Config): Promise<Identity> {
  const access = config.access!;
  if (config.devIdentity && !warnedDevIdentityIgnored) {
    warnedDevIdentityIgnored = true;
    console.warn("DEV_IDENTITY is ignored: Access is configured, so every request needs an Access assertion");
  }
  // Only the header: the CF_Authorization cookie is not guaranteed to reach us and a
  // cookie-only request is exactly what a cross-site forgery looks like.
  const token = request.headers.get(ASSERTION_HEADER);
  if (!token) throw unauthorized("Missing Cf-Access-Jwt-Assertion: this Worker must be reached through Cloudflare Access");

  const now = Date.now();
  let claims = rememberedClaims(token, access.issuer, now);
  if (!claims) {
    const verified = await verifyAccessJwt(token, access, accessKeyStore(access.certsUrl), now);
    if (!verified.ok) {
      console.warn(`access assertion refused: ${verified.reason}: ${verified.detail}`);
      if (verified.reason === "keys_unavailable") {
        throw new ExecutorError("upstream_unreachable", "Could not fetch the Access signing keys; try again shortly");
      }
      throw unauthorized("Invalid Cloudflare Access assertion");
    }
    claims = verified.claims;
    rememberClaims(token, access.issuer, claims, now);
  }
  const result = identityFromClaims(claims, config);
  if (!result.ok) {
    console.warn("access assertion refused: it names neither an email nor a service token common_name");
    throw unauthorized("The Access assertion names no identity (neither email nor common_name)");
  }
  return result.identity;
}

/**
 * Without Access, the Worker serves only a developer's own machine: DEV_IDENTITY on a loopback
 * host, to pages of its own origin. A request naming another host is refused with 403: that
 * is what DNS rebinding looks like (evil.example resolved to 127.0.0.1), and it is also a
 * deployed Worker that lost its Access settings, which must stay closed. A foreign Origin is
 * refused even for a GET, since a read here returns everything the developer may see. With no
 * DEV_IDENTITY there is nobody to serve: 503.
 */
function localDevIdentity(request: Request, config: Config): Identity {
  const url = new URL(request.url);
  if (!config.devIdentity) throw notConfigured(config);
  if (!isLoopbackHost(url.hostname)) {
    console.warn("DEV_IDENTITY is ignored: it is honoured only on localhost, 127.0.0.1 or [::1]");
    throw new ExecutorError(
      "forbidden",
      `This Worker has no Access settings (missing ${config.missing.join(", ")}), so it serves local development only, on localhost, 127.0.0.1 or [::1]; this request is for host ${url.host}`,
    );
  }
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== url.origin) {
    throw new ExecutorError("forbidden", `Local development serves only its own pages: the request comes from ${origin}, not ${url.origin}`);
  }
  return humanIdentity(config.devIdentity, config, { name: "Local developer" });
}

function notConfigured(config: Config): ExecutorError {
  return new ExecutorError("not_configured", `Executor is not configured: missing ${config.missing.join(", ")}`, { details: { missing: config.missing } });
}

/**
 * The hosted API's org selector header is honoured only when it names this one organization.
 * It is never a way in: any other value is refused as if the org did not exist.
 */
function checkOrganizationSelector(request: Request, config: Config): void {
  const selector = request.headers.get(ORG_SELECTOR_HEADER);
  if (selector === null) return;
  if (selector.trim().toLowerCase() !== config.org.slug) throw new ExecutorError("not_found", "No such organization");
}

function unauthorized(message: string): ExecutorError {
  return new ExecutorError("unauthorized", message, { headers: { "www-authenticate": 'Bearer realm="executor"' } });
}
