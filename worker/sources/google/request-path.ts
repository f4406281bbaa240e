/**
 * Which path template a Discovery method is called with, in the `{name}` form `buildRequest`
 * substitutes. `flatPath` is preferred when its placeholders are exactly the method's path
 * parameters (then every value is one segment, percent-encoded whole). Otherwise `path` is
 * used; its `{+name}` (RFC 6570 reserved expansion, e.g. `v1/{+parent}/messages` where
 * `parent` is `spaces/AAA`) becomes `{name}` with the parameter marked to keep its slashes.
 * Other RFC 6570 operators do not occur in Google's documents and are refused.
 */

export interface RequestPath {
  /** Relative to the API's base URL, e.g. `gmail/v1/users/{userId}/messages`. */
  template: string;
  /** Every placeholder of the template, in order. */
  placeholders: string[];
  /** The placeholders whose values keep their slashes. */
  reserved: Set<string>;
}

/** The template for a method, or null when neither `flatPath` nor `path` can be used. */
export function chooseRequestPath(flatPath: unknown, path: unknown, pathParameters: ReadonlySet<string>): RequestPath | null {
  if (typeof flatPath === "string") {
    const flat = parseTemplate(flatPath);
    if (flat && flat.reserved.size === 0 && sameNames(flat.placeholders, pathParameters)) return flat;
  }
  return typeof path === "string" ? parseTemplate(path) : null;
}

/** `v1/{+name}:cancel` → template `v1/{name}:cancel`, placeholders `[name]`, reserved `{name}`. */
function parseTemplate(text: string): RequestPath | null {
  const placeholders: string[] = [];
  const reserved = new Set<string>();
  let valid = true;
  const template = text.replace(/\{([^}]*)\}/g, (_expression, body: string) => {
    const isReserved = body.startsWith("+");
    const name = isReserved ? body.slice(1) : body;
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) valid = false;
    placeholders.push(name);
    if (isReserved) reserved.add(name);
    return `{${name}}`;
  });
  // A stray brace would be sent literally and mean the template was misread.
  if (!valid || /[{}]/.test(template.replace(/\{[^}]*\}/g, ""))) return null;
  return { template, placeholders, reserved };
}

function sameNames(placeholders: string[], names: ReadonlySet<string>): boolean {
  const unique = new Set(placeholders);
  return unique.size === names.size && [...unique].every((name) => names.has(name));
}
