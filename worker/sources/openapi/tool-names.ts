/**
 * Tool names: readable, stable and collision-free. A name is the first tag as a group plus the
 * operationId in camelCase (`issues/create-comment` tagged `issues` → `issues.createComment`);
 * without an operationId, the method and path words (`GET /users/{id}/repos` → `getUsersIdRepos`).
 * Duplicates get a numeric suffix in operation order, so the same spec always yields the
 * same names. It does not read anything but tags, operationId, method and path.
 */

export interface NameSource {
  method: string;
  path: string;
  operationId?: unknown;
  tags?: unknown;
}

/** Every segment of a tool name matches this. */
export const NAME_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One name per operation, in the same order. */
export function nameTools(sources: NameSource[]): string[] {
  const wanted = sources.map(wantedName);
  const reserved = new Set(wanted.map(([group, name]) => join(group, name)));
  const assigned = new Set<string>();
  return wanted.map(([group, name]) => {
    let full = join(group, name);
    if (assigned.has(full)) {
      let suffix = 2;
      while (reserved.has(join(group, `${name}${suffix}`)) || assigned.has(join(group, `${name}${suffix}`))) suffix++;
      full = join(group, `${name}${suffix}`);
    }
    assigned.add(full);
    return full;
  });
}

/** `text` in camelCase from its letter and digit runs: `create-comment` → `createComment`, `GET /pets` → `getPets`. */
export function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((word, index) => (index === 0 ? lowerFirstWord(word) : word[0].toUpperCase() + word.slice(1))).join("");
}

function wantedName(source: NameSource): [string | undefined, string] {
  const tag = Array.isArray(source.tags) && typeof source.tags[0] === "string" ? source.tags[0] : undefined;
  const group = tag === undefined ? undefined : segment(camelCase(tag));
  let name = "";
  if (typeof source.operationId === "string") {
    const slash = source.operationId.indexOf("/");
    const prefix = source.operationId.slice(0, slash);
    const withoutTag = slash > 0 && tag !== undefined && camelCase(prefix) === camelCase(tag) ? source.operationId.slice(slash + 1) : source.operationId;
    name = segment(camelCase(withoutTag));
  }
  if (!name) name = segment(camelCase(`${source.method} ${source.path}`));
  return [group || undefined, name];
}

/** A valid segment, or "" when nothing usable is left. */
function segment(word: string): string {
  if (!word) return "";
  if (/^[0-9]/.test(word)) return `_${word}`;
  // The sandbox's tool proxy answers `then` with undefined so that awaiting a namespace
  // does not call it; a tool segment named `then` could never be reached.
  return word === "then" ? "_then" : word;
}

/** `GET` → `get`, `HTTPServer` → `httpServer`, `ListPets` → `listPets`, `listPets` unchanged. */
function lowerFirstWord(word: string): string {
  const capitals = /^[A-Z]+/.exec(word)?.[0].length ?? 0;
  if (capitals === word.length) return word.toLowerCase();
  const lowered = capitals > 1 && /[a-z]/.test(word[capitals]) ? capitals - 1 : Math.max(capitals, 1);
  return word.slice(0, lowered).toLowerCase() + word.slice(lowered);
}

function join(group: string | undefined, name: string): string {
  return group ? `${group}.${name}` : name;
}
