/** Replaces every stored secret that appears verbatim in a value with `[redacted]`. */

export const REDACTED = "[redacted]";

/** A deep copy of `value` with each secret in any string replaced. */
export function redactSecrets<T>(value: T, secrets: string[]): T {
  const usable = secrets.filter((secret) => secret.length >= 4);
  if (usable.length === 0) return value;
  const redact = (item: unknown): unknown => {
    if (typeof item === "string") return usable.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join(REDACTED) : text), item);
    if (Array.isArray(item)) return item.map(redact);
    if (item !== null && typeof item === "object") return Object.fromEntries(Object.entries(item).map(([key, inner]) => [redact(key) as string, redact(inner)]));
    return item;
  };
  return redact(value) as T;
}
