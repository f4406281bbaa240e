/**
 * Tool names: readable, guessable, stable and collision-free. A name is the first tag as a
 * group plus the operationId in camelCase without the tag it repeats: `issues/create-comment`,
 * `issues_createComment`, `issues.createComment` and `issuesCreateComment` tagged `issues` all
 * become `issues.createComment`, so Slack's `chat_postMessage` under `chat` is
 * `chat.postMessage`. Without an operationId the name is the method and path words
 * (`GET /users/{id}/repos` → `getUsersIdRepos`). Duplicates get a numeric suffix in operation
 * order, so the same spec always yields the same names.
 *
 * On a refresh the previous names can be passed in: an operation (same method and path) keeps
 * its old name while that name still fits it, that is while it is the operation's name under
 * the current rules or under the rules before tags were stripped (`chat.chatPostMessage`),
 * with or without a collision suffix. Programs that call a tool by name keep working when a
 * spec adds operations or when these rules change; an operation whose tag or operationId
 * changed gets its new name. It reads nothing but tags, operationId, method and path.
 */

export interface NameSource {
  method: string;
  path: string;
  operationId?: unknown;
  tags?: unknown;
}

/** Every segment of a tool name matches this. */
export const NAME_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One name per operation, in the same order. `previous` maps `operationKey(method, path)` to
 * the name the operation had before (see the header for when it is kept).
 */
export function nameTools(sources: NameSource[], previous: ReadonlyMap<string, string> = new Map()): string[] {
  const wanted = sources.map(wantedName);
  const kept = keptNames(sources, wanted, previous);
  const reserved = new Set([...wanted.map(({ group, name }) => join(group, name)), ...kept.values()]);
  const assigned = new Set<string>(kept.values());
  return wanted.map(({ group, name }, index) => {
    const old = kept.get(index);
    if (old !== undefined) return old;
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

/** The key `previous` is looked up by: the upper-case method and the path template. */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** `text` in camelCase from its letter and digit runs: `create-comment` → `createComment`, `GET /pets` → `getPets`. */
export function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((word, index) => (index === 0 ? lowerFirstWord(word) : word[0].toUpperCase() + word.slice(1))).join("");
}

// --- private ---

interface WantedName {
  group: string | undefined;
  name: string;
  /** The name before tags were stripped in every form (only `tag/x` was): an old name that still fits. */
  legacyName: string;
}

function wantedName(source: NameSource): WantedName {
  const tag = Array.isArray(source.tags) && typeof source.tags[0] === "string" ? source.tags[0] : undefined;
  const group = tag === undefined ? undefined : segment(camelCase(tag)) || undefined;
  const fallback = segment(camelCase(`${source.method} ${source.path}`));
  if (typeof source.operationId !== "string") return { group, name: fallback, legacyName: fallback };
  const operationId = source.operationId;
  const slash = operationId.indexOf("/");
  const legacyId = slash > 0 && tag !== undefined && camelCase(operationId.slice(0, slash)) === camelCase(tag) ? operationId.slice(slash + 1) : operationId;
  const legacyName = segment(camelCase(legacyId)) || fallback;
  const stripped = tag === undefined ? undefined : withoutTag(operationId, tag);
  return { group, name: (stripped && segment(camelCase(stripped))) || legacyName, legacyName };
}

/**
 * The operationId after the words that spell the tag, when it starts with them and more
 * follows: `chat_postMessage`, `chat.postMessage`, `chat/postMessage` and `chatPostMessage`
 * under `chat` give `postMessage`; `oauth-list-grants` under `OAuth` gives `list-grants`.
 * Undefined when the tag is not a whole-word prefix, or when what is left starts with a digit
 * (stripping would only trade the tag for an underscore).
 */
function withoutTag(operationId: string, tag: string): string | undefined {
  const tagKey = tag.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (!tagKey) return undefined;
  let spelled = "";
  for (const word of operationId.matchAll(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g)) {
    spelled += word[0].toLowerCase();
    if (spelled.length < tagKey.length) {
      if (!tagKey.startsWith(spelled)) return undefined;
      continue;
    }
    if (spelled !== tagKey) return undefined;
    const rest = operationId.slice(word.index + word[0].length);
    return /[A-Za-z]/.test(rest) && !/^[^A-Za-z0-9]*[0-9]/.test(rest) ? rest : undefined;
  }
  return undefined;
}

/** Operation index → its previous name, for the operations whose previous name still fits and is unique. */
function keptNames(sources: NameSource[], wanted: WantedName[], previous: ReadonlyMap<string, string>): Map<number, string> {
  const kept = new Map<number, string>();
  if (previous.size === 0) return kept;
  const taken = new Set<string>();
  sources.forEach((source, index) => {
    const old = previous.get(operationKey(source.method, source.path));
    if (old === undefined || taken.has(old) || !fits(old, wanted[index])) return;
    kept.set(index, old);
    taken.add(old);
  });
  return kept;
}

function fits(old: string, { group, name, legacyName }: WantedName): boolean {
  if (!old.split(".").every((part) => NAME_SEGMENT.test(part))) return false;
  return [name, legacyName].some((base) => {
    const full = join(group, base);
    return old === full || (old.startsWith(full) && /^[0-9]+$/.test(old.slice(full.length)));
  });
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
