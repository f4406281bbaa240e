/** Integration slugs: `[a-z][a-z0-9_]{0,39}`, never one the sandbox API already uses. */
import { ExecutorError } from "../errors";

/** A slug's syntax, as a JSON Schema `pattern`. */
export const SLUG_PATTERN = "^[a-z][a-z0-9_]{0,39}$";
const SLUG = new RegExp(SLUG_PATTERN);
/** `search`/`describe`/`executor` are the sandbox API's own (docs/agents.md); the rest would shadow JS machinery on `tools`. */
const RESERVED = new Set(["search", "describe", "executor", "then", "constructor", "prototype", "__proto__", "tools"]);

/** Throws `invalid_request` unless `slug` is usable. */
export function checkSlug(slug: string): void {
  if (!SLUG.test(slug)) {
    throw new ExecutorError("invalid_request", "slug must match [a-z][a-z0-9_]{0,39}", { details: [{ field: "slug", problem: "invalid" }] });
  }
  if (RESERVED.has(slug)) {
    throw new ExecutorError("invalid_request", `slug ${slug} is reserved`, { details: [{ field: "slug", problem: "reserved" }] });
  }
}

/** A slug derived from a title or host: `GitHub v3 REST API` → `github_v3_rest_api`. */
export function deriveSlug(source: string): string {
  let slug = source
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  if (!/^[a-z]/.test(slug)) slug = `api_${slug}`.slice(0, 40);
  return RESERVED.has(slug) || slug === "" ? `${slug}_api` : slug;
}
