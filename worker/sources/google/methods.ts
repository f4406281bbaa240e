/**
 * The methods of a Discovery document and their tool names. Resources nest (`users` →
 * `messages` → `list`), and the name is that path: `users.messages.list`, which is also the
 * method's `id` without the API's name, so it reads like Google's own client libraries and
 * stays the same across revisions. Order is the document's: top-level methods, then each
 * resource's methods before its sub-resources. It does not read parameters or schemas.
 */
import { camelCase, NAME_SEGMENT } from "../openapi/tool-names";
import { isObject, readField, type JsonObject } from "../openapi/json-value";

/** Resources nested deeper than this are not read (real APIs stop at four or five). */
const MAX_RESOURCE_DEPTH = 16;

export interface DiscoveryMethod {
  /** The tool name: resource keys and the method key, dot-separated, each a valid segment. */
  name: string;
  method: JsonObject;
}

/** Every method in the document, each with a unique tool name. */
export function listMethods(document: JsonObject): DiscoveryMethod[] {
  const found: { segments: string[]; method: JsonObject }[] = [];
  collect(document, [], found);
  const taken = new Set<string>();
  return found.map(({ segments, method }) => {
    const base = segments.map(nameSegment).join(".");
    let name = base;
    for (let suffix = 2; taken.has(name); suffix++) name = `${base}${suffix}`;
    taken.add(name);
    return { name, method };
  });
}

function collect(node: unknown, path: string[], found: { segments: string[]; method: JsonObject }[]): void {
  if (path.length > MAX_RESOURCE_DEPTH) return;
  const methods = readField(node, "methods");
  if (isObject(methods)) {
    for (const [key, method] of Object.entries(methods)) if (isObject(method)) found.push({ segments: [...path, key], method });
  }
  const resources = readField(node, "resources");
  if (isObject(resources)) {
    for (const [key, resource] of Object.entries(resources)) collect(resource, [...path, key], found);
  }
}

/** A key as a name segment: kept when it is one already (`calendarList`), else camelCased. */
function nameSegment(key: string): string {
  let segment = NAME_SEGMENT.test(key) ? key : camelCase(key);
  if (segment === "") segment = "_";
  if (/^[0-9]/.test(segment)) segment = `_${segment}`;
  // The sandbox's tool proxy answers `then` with undefined (so awaiting a namespace does not
  // call it); a segment named `then` could never be reached.
  return segment === "then" ? "_then" : segment;
}
