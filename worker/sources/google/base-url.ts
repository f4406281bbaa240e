/**
 * The base URL of a Google API: the Discovery document's `rootUrl` + `servicePath` (or the
 * legacy `baseUrl`), without a trailing slash. It must be an https URL on googleapis.com.
 *
 * Why the host is checked: this source connects with Google's own OAuth endpoints (see
 * security-schemes.ts), so a Google access token would be sent to whatever base URL the
 * document names. A pasted or fetched document saying `rootUrl: https://evil.example/` must
 * not be able to collect those tokens. The trade-off: Discovery documents of non-Google
 * services cannot be imported as `google`; they can still be described with OpenAPI.
 */
import { normaliseBaseUrl } from "../openapi/base-url";
import { readString, type JsonObject } from "../openapi/json-value";
import { SpecError } from "../openapi/spec-error";

/** Hosts a Google integration may call: googleapis.com and its subdomains. */
const GOOGLE_API_HOST = /(^|\.)googleapis\.com$/;

/** The API's base URL; throws SpecError when there is none or it is not a Google API host. */
export function googleBaseUrl(document: JsonObject): string {
  const rootUrl = readString(document.rootUrl);
  const joined = rootUrl ? rootUrl + (readString(document.servicePath) ?? "") : readString(document.baseUrl);
  if (!joined) throw new SpecError("The Discovery document has no `rootUrl`, so there is nothing to call.");
  const baseUrl = normaliseBaseUrl(joined);
  if (!baseUrl) throw new SpecError(`The Discovery document's root URL "${joined.slice(0, 200)}" is not an absolute http(s) URL.`);
  const url = new URL(baseUrl);
  if (url.protocol !== "https:" || !GOOGLE_API_HOST.test(url.hostname) || url.port !== "") {
    throw new SpecError(`A Google integration calls https://*.googleapis.com only; this document points at ${url.origin}.`);
  }
  return baseUrl;
}
