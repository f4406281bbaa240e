/**
 * Tool names: an upstream MCP tool name (any string up to the server's taste) becomes one
 * identifier the sandbox can reach as `tools.<integration>.<name>`. Hyphens and spaces
 * become camelCase (`get-weather` → `getWeather`), other punctuation an underscore
 * (`a.b/c` → `a_b_c`), underscores stay. Collisions get numeric suffixes decided by the
 * upstream names alone, not by list order, so the same server yields the same names however
 * it orders its list. It does not keep the original: the caller stores it for the call.
 */

/** Every generated name matches this. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Longest generated name, suffix excluded; MCP names are meant to stay well under it. */
export const MAX_NAME_CHARS = 64;

/** One identifier per upstream name, in the same order. Equal upstream names get equal identifiers. */
export function nameTools(upstreamNames: string[]): string[] {
  const unique = [...new Set(upstreamNames)];
  const wanted = new Map(unique.map((name) => [name, identifierFor(name)]));
  // Names that are already identifiers keep them first; the others in code-unit order.
  // Both orders depend only on the names, never on where the server listed them.
  const order = [...unique].sort((a, b) => {
    const exactA = wanted.get(a) === a;
    const exactB = wanted.get(b) === b;
    if (exactA !== exactB) return exactA ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const reserved = new Set(wanted.values());
  const taken = new Set<string>();
  const assigned = new Map<string, string>();
  for (const upstream of order) {
    const base = wanted.get(upstream)!;
    let name = base;
    if (taken.has(name)) {
      let suffix = 2;
      while (taken.has(`${base}_${suffix}`) || reserved.has(`${base}_${suffix}`)) suffix++;
      name = `${base}_${suffix}`;
    }
    taken.add(name);
    assigned.set(upstream, name);
  }
  return upstreamNames.map((name) => assigned.get(name)!);
}

/** The identifier an upstream name asks for, before collisions are resolved. */
export function identifierFor(upstream: string): string {
  // Accents come off (`météo` → `meteo`); other non-ASCII letters become punctuation below.
  const ascii = upstream.normalize("NFKD").replace(/\p{M}+/gu, "");
  const camel = ascii
    .replace(/^[-\s]+|[-\s]+$/g, "")
    .replace(/[-\s]+([A-Za-z0-9]?)/g, (_, next: string) => next.toUpperCase());
  let name = camel
    .replace(/^[^A-Za-z0-9_]+|[^A-Za-z0-9_]+$/g, "")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .slice(0, MAX_NAME_CHARS);
  if (name === "") name = "tool";
  if (/^[0-9]/.test(name)) name = `_${name}`;
  // The sandbox's tool proxy answers `then` with undefined so that awaiting a namespace
  // does not call it; a tool named `then` could never be reached.
  return name === "then" ? "_then" : name;
}
