/**
 * Narrowing for parsed spec documents, which are untrusted JSON or YAML: any field may be
 * missing or of the wrong type. It does not validate a document against the OpenAPI schema.
 */

export type JsonObject = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value if it is a non-empty string, else undefined. */
export function readString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The own property `key` of `value` if `value` is an object (never an inherited one such as `__proto__`). */
export function readField(value: unknown, key: string): unknown {
  return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}
