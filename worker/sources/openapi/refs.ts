/**
 * Local JSON references (`#/components/parameters/owner`) inside one spec document: parsing
 * the pointer and following `$ref` chains to the object they name. It does not fetch other
 * files or URLs; an external, broken or circular reference resolves to undefined.
 */
import { isObject, readField, type JsonObject } from "./json-value";

/** A chain of refs longer than this is treated as broken (it is almost certainly a loop). */
const MAX_REF_HOPS = 32;

/** The pointer's tokens, e.g. `#/components/schemas/a~1b` → `["components", "schemas", "a/b"]`; null if the ref is not local. */
export function parseLocalRef(ref: string): string[] | null {
  if (!ref.startsWith("#")) return null;
  const fragment = ref.slice(1);
  if (fragment === "") return [];
  if (!fragment.startsWith("/")) return null;
  return fragment.slice(1).split("/").map(decodeToken);
}

/** The pointer text for tokens, the inverse of `parseLocalRef` without the `#`. */
export function formatPointer(tokens: string[]): string {
  return tokens.map((token) => "/" + token.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

/** The value at `tokens` inside `root`, or undefined. */
export function valueAt(root: unknown, tokens: string[]): unknown {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node)) node = /^\d+$/.test(token) ? node[Number(token)] : undefined;
    else node = readField(node, token);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Follows `$ref`s from a parameter, request body, response, path item or security scheme
 * to the object itself. Returns the value unchanged when it is not a ref, and undefined when
 * it is not an object or the chain is external, broken or circular.
 */
export function resolveObject(root: unknown, value: unknown): JsonObject | undefined {
  let node = value;
  for (let hop = 0; hop <= MAX_REF_HOPS; hop++) {
    if (!isObject(node)) return undefined;
    const ref = node.$ref;
    if (typeof ref !== "string") return node;
    const tokens = parseLocalRef(ref);
    if (!tokens) return undefined;
    node = valueAt(root, tokens);
  }
  return undefined;
}

function decodeToken(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // A stray `%` is not an escape: keep the token as written.
  }
  return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
}
