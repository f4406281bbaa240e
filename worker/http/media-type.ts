/**
 * What a media type says about how its bytes are read: JSON, text, a form, multipart, or
 * binary (anything else). Requests to upstreams and their answers use the same reading, so
 * the type that makes an upload take base64 also makes a download come back as base64. Pure.
 */

/** How a body of a media type is read. `none`: no type given. */
export type MediaKind = "json" | "text" | "form" | "multipart" | "binary" | "none";

/** Non-JSON types that are text; every other type not `text/*`, `*\/xml` or `*+xml` is binary. */
const TEXT_TYPES = new Set([
  "application/javascript",
  "application/ecmascript",
  "application/x-javascript",
  "application/graphql",
  "application/yaml",
  "application/x-yaml",
  "application/sql",
  "application/csv",
]);

/** The kind of `contentType` (a header value or a spec's media type key; parameters ignored). */
export function mediaKind(contentType: string): MediaKind {
  const type = baseMediaType(contentType);
  if (type === "") return "none";
  // `application/json`, `application/problem+json`, `application/x-ndjson`, `text/json`...
  if (type.includes("json")) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  if (type.startsWith("multipart/")) return "multipart";
  if (type.startsWith("text/") || type.endsWith("+xml") || type.endsWith("/xml") || TEXT_TYPES.has(type)) return "text";
  return "binary";
}

/** `Text/HTML; charset=utf-8` → `text/html`. */
export function baseMediaType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}
