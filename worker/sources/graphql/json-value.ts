/**
 * The one shape test the GraphQL source needs on untyped JSON (introspection results, response
 * bodies, tool arguments). It does not validate against a schema.
 */

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
