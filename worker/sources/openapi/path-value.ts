/**
 * Whether a value may be put into a URL path. A path value `..` (or `.`) is collapsed by
 * every URL parser, fetch's included: `/spaces/{name}` with `name = "x/messages/.."` would
 * reach `/spaces/x`, another operation than the tool's, without that operation's policy.
 * Percent-encoded dots (`%2e`, `.%2E`, ...) count as dots, because WHATWG URL parsing treats
 * them as dot segments too. It does not encode anything; `buildRequest` does that.
 */

/** Why a value cannot go into a path. */
export type PathValueProblem = "dot_segment" | "empty_segment";

export type PathValueCheck = { ok: true } | { ok: false; reason: PathValueProblem };

/** A segment a URL parser treats as `.` or `..`: `.`, `..`, `%2e`, `.%2E`, `%2e%2e`, ... */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Checks one path parameter's text (before percent-encoding).
 * - `keepSlashes: false` (a plain `{name}`): the whole value is one segment; `.`, `..` and their
 *   encoded forms are refused. The empty string is allowed (the template decides what it means).
 * - `keepSlashes: true` (reserved expansion, `{+name}`): every `/`-separated segment is checked,
 *   and empty segments (a leading, trailing or doubled `/`) are refused as well, since servers
 *   that merge slashes would route `v1//messages` to `v1/messages`.
 */
export function checkPathValue(text: string, keepSlashes: boolean): PathValueCheck {
  const segments = keepSlashes ? text.split("/") : [text];
  for (const segment of segments) {
    if (DOT_SEGMENT.test(segment)) return { ok: false, reason: "dot_segment" };
    if (keepSlashes && segment === "") return { ok: false, reason: "empty_segment" };
  }
  return { ok: true };
}
