// @ts-check
/**
 * The headers that get a request through Cloudflare Access, in this order:
 *   1. a service token from CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET, sent as
 *      `CF-Access-Client-Id` / `CF-Access-Client-Secret` (Access swaps them for its JWT);
 *   2. a person's token printed by `cloudflared access token -app=<url>` (after
 *      `cloudflared access login <url>`), sent as `cf-access-token`;
 *   3. nothing: a local Worker without Access (`npm run dev`) needs none.
 * It never stores a credential and never prints one. It does not decide whether Access
 * accepted them (the API client recognises a refusal).
 */
import { execFile } from "node:child_process";
import { UsageError } from "./failures.mjs";

/** How long cloudflared may take to print a stored token. */
const CLOUDFLARED_TIMEOUT_MS = 15_000;
/** A compact JWS: three base64url parts. Anything else cloudflared prints is not a token. */
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * @typedef {"service-token" | "cloudflared" | "none"} CredentialSource
 * @typedef {{ source: CredentialSource, headers: Record<string, string> }} AccessCredentials
 */

/**
 * The Access headers for requests to `baseUrl`.
 * @param {string} baseUrl the deployment's origin
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<AccessCredentials>}
 */
export async function accessCredentials(baseUrl, env) {
  const id = env.CF_ACCESS_CLIENT_ID;
  const secret = env.CF_ACCESS_CLIENT_SECRET;
  if (id || secret) {
    if (!id || !secret) throw new UsageError("Set both CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET (a service token), or neither");
    return { source: "service-token", headers: { "CF-Access-Client-Id": id, "CF-Access-Client-Secret": secret } };
  }
  const token = await cloudflaredToken(baseUrl, env);
  if (token) return { source: "cloudflared", headers: { "cf-access-token": token } };
  return { source: "none", headers: {} };
}

/**
 * The token cloudflared holds for this application, or undefined when cloudflared is not
 * installed or has none (it then says "run login"; the refusal message says the same).
 * @param {string} baseUrl
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string | undefined>}
 */
function cloudflaredToken(baseUrl, env) {
  return new Promise((resolve) => {
    execFile("cloudflared", ["access", "token", `-app=${baseUrl}`], { env, timeout: CLOUDFLARED_TIMEOUT_MS, windowsHide: true }, (error, stdout) => {
      if (error) return resolve(undefined);
      const token = String(stdout)
        .split(/\r?\n/)
        .map((line) => line.trim())
        .find((line) => JWT_PATTERN.test(line));
      resolve(token);
    });
  });
}
