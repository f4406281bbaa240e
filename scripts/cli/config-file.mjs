// @ts-check
/**
 * Where the CLI keeps the deployment's URL: `$XDG_CONFIG_HOME/executor/config.json` (else
 * `~/.config/executor/config.json`), and `EXECUTOR_URL`, which overrides it. The file holds
 * the URL only, never a credential: Access credentials stay in the environment or in
 * cloudflared's own store. It does not talk to the network.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { UsageError } from "./failures.mjs";

/** Hosts where plain http is acceptable: the machine itself (`npm run dev`, tests). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The config file's path for this environment.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string}
 */
export function configPath(env) {
  const base = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "executor", "config.json");
}

/**
 * The deployment's origin from what a person typed (a console page or /mcp URL works too).
 * Plain http is refused except on loopback: the service token's secret travels in headers.
 * @param {string} input
 * @returns {string}
 */
export function normalizeUrl(input) {
  let url;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UsageError(`Not a URL: ${input}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`The URL must be https: ${input}`);
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(`Plain http is only for a local Worker (localhost, 127.0.0.1); use https: ${input}`);
  }
  if (url.username || url.password) throw new UsageError("The URL must not carry a user name or password");
  return url.origin;
}

/**
 * The saved URL, or undefined when there is no usable config file.
 * @param {string} path
 * @returns {string | undefined}
 */
export function readSavedUrl(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text);
    return typeof parsed?.url === "string" ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Saves the URL, readable by the owner only (0600, in a 0700 folder).
 * @param {string} path
 * @param {string} url
 */
export function saveUrl(path, url) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify({ url }, null, 2)}\n`, { mode: 0o600 });
  // `mode` only applies when the file is created; an older file keeps its mode otherwise.
  chmodSync(path, 0o600);
}

/**
 * The deployment to talk to: `EXECUTOR_URL`, else the saved URL.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string}
 */
export function resolveBaseUrl(env) {
  if (env.EXECUTOR_URL) return normalizeUrl(env.EXECUTOR_URL);
  const saved = readSavedUrl(configPath(env));
  if (saved) return normalizeUrl(saved);
  throw new UsageError("No Executor URL: run `executor login <url>` or set EXECUTOR_URL");
}
