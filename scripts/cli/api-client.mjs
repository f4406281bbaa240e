// @ts-check
/**
 * The one HTTP client of the CLI: sends JSON to the deployment's /api with the Access
 * headers and turns every answer that is not a success into a `CliFailure` carrying the
 * API's own `{error:{code,message,details}}`. An answer that is not our JSON at all (a
 * redirect to the Access login page, Access's 403 page) is Access refusing the request,
 * and is reported as such with what to do about it. It knows no routes.
 */
import { CliFailure } from "./failures.mjs";

/** Every request gives up after this long (a resume waits up to 25 s, then may run ~30 s). */
const REQUEST_TIMEOUT_MS = 120_000;

/**
 * @typedef {import("./access-credentials.mjs").AccessCredentials} AccessCredentials
 * @typedef {Record<string, string | number | undefined>} Query
 * @typedef {{ query?: Query, body?: unknown, signal?: AbortSignal }} RequestOptions
 */

/** A client bound to one deployment and one set of Access credentials. */
export class ApiClient {
  /**
   * @param {string} baseUrl the deployment's origin
   * @param {AccessCredentials} credentials
   * @param {string} userAgent
   */
  constructor(baseUrl, credentials, userAgent) {
    /** @readonly */
    this.baseUrl = baseUrl;
    /** @readonly */
    this.credentials = credentials;
    /** @readonly */
    this.userAgent = userAgent;
  }

  /**
   * GET `path`, answering the parsed JSON.
   * @param {string} path
   * @param {Query} [query]
   * @returns {Promise<any>}
   */
  get(path, query) {
    return this.request("GET", path, { query });
  }

  /**
   * POST `body` as JSON to `path`, answering the parsed JSON.
   * @param {string} path
   * @param {unknown} body
   * @param {{ signal?: AbortSignal }} [options]
   * @returns {Promise<any>}
   */
  post(path, body, options = {}) {
    return this.request("POST", path, { body, signal: options.signal });
  }

  /**
   * One request. A user's abort (`signal`) is rethrown as the AbortError it is, so the
   * caller can tell it from a failure.
   * @param {"GET" | "POST"} method
   * @param {string} path
   * @param {RequestOptions} options
   * @returns {Promise<any>}
   */
  async request(method, path, options) {
    const url = new URL(path, this.baseUrl);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
    }
    /** @type {Record<string, string>} */
    const headers = { accept: "application/json", "user-agent": this.userAgent, ...this.credentials.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        // Access answers a missing or refused credential with a redirect to its login page;
        // following it would only fetch HTML. Our API itself never redirects.
        redirect: "manual",
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (timeout.aborted) throw new CliFailure("timeout", `${method} ${url.pathname} got no answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
      throw new CliFailure("unreachable", `Cannot reach ${this.baseUrl}: ${networkReason(error)}`);
    }
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    if (!/^application\/json/i.test(contentType)) {
      throw notOurAnswer(response.status, contentType, text, this.baseUrl, this.credentials.source);
    }
    let parsed;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      throw new CliFailure("unexpected_response", `${method} ${url.pathname} answered ${response.status} with invalid JSON`);
    }
    if (response.ok) return parsed;
    const error = parsed?.error;
    if (error && typeof error.code === "string" && typeof error.message === "string") {
      throw new CliFailure(error.code, error.message, { details: error.details });
    }
    throw new CliFailure("unexpected_response", `${method} ${url.pathname} answered ${response.status} without an error object`);
  }
}

/**
 * Why an answer that is not JSON came back. Every /api answer of the Worker is JSON, so a
 * redirect, or an HTML 401/403, comes from Access in front of it.
 * @param {number} status
 * @param {string} contentType
 * @param {string} text
 * @param {string} baseUrl
 * @param {import("./access-credentials.mjs").CredentialSource} source
 * @returns {CliFailure}
 */
function notOurAnswer(status, contentType, text, baseUrl, source) {
  const fromAccess = (status >= 300 && status < 400) || status === 401 || status === 403 || /cloudflareaccess\.com|\/cdn-cgi\/access\//.test(text);
  if (!fromAccess) {
    const kind = contentType ? contentType.split(";")[0] : "no content type";
    return new CliFailure("unexpected_response", `${baseUrl} answered ${status} with ${kind}, not the Executor API's JSON (is this an Executor URL?)`);
  }
  const advice = {
    none: `set CF_ACCESS_CLIENT_ID/SECRET or run cloudflared access login ${baseUrl}`,
    "service-token": "check CF_ACCESS_CLIENT_ID/SECRET, and that the application has a Service Auth policy that includes this service token",
    cloudflared: `cloudflared's token was not accepted; run cloudflared access login ${baseUrl}`,
  }[source];
  return new CliFailure("access_refused", `Access refused the request: ${advice}`);
}

/**
 * The most useful part of a fetch network error (`ECONNREFUSED`, `ENOTFOUND`, a TLS error).
 * @param {unknown} error
 * @returns {string}
 */
function networkReason(error) {
  const cause = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause;
  return cause?.code ?? cause?.message ?? String(error);
}
