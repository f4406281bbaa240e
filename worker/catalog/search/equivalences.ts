/**
 * Words an agent uses for the same action or subject as an API does: `add` where the
 * operation says `create`, `remove` for `delete`. A query word also looks for its
 * equivalents, at a lower weight than for itself, so an exact word still wins ("list open
 * issues" is not about creating). The table is small and about English, not about any
 * vendor; HTTP methods sit beside the verbs they usually carry out. ("me", "my" and "I" are
 * spelled out as "authenticated user" in terms.ts instead: they are the same thing, not a
 * near-synonym.)
 *
 * The same groups tell what a query asks to do (`intentsOf`): create, read one, list, change
 * or delete; a question ("who am I") asks to read.
 */
import { stem } from "./terms";

/** What a query asks to do, as far as the shape of a REST route can answer it. */
export type Intent = "create" | "delete" | "get" | "list" | "update" | "search" | "copy";

/** Groups of interchangeable words (before stemming), by what they ask to do. */
export const EQUIVALENT_WORDS: Readonly<Record<Intent, readonly string[]>> = {
  create: ["create", "add", "new", "make", "open", "post", "register", "give", "grant"],
  delete: ["delete", "remove", "drop", "revoke"],
  get: ["get", "read", "fetch", "show", "view", "download", "retrieve", "look"],
  list: ["list", "all", "browse"],
  // Closing, reopening or archiving a thing is, when the API has no such action, an update of its state.
  update: ["update", "edit", "change", "rename", "set", "modify", "patch", "put", "close", "reopen", "archive", "replace"],
  search: ["search", "find", "query"],
  copy: ["copy", "duplicate", "clone"],
};

/** Every intent, in a fixed order. */
export const INTENTS = Object.keys(EQUIVALENT_WORDS) as readonly Intent[];

/** A question asks to read: "who am I", "how many stars does a repo have". */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(["who", "what", "which", "how", "is", "are", "does", "do", "whats"]);

/** How much a match on an equivalent word counts, against 1 for the word itself. */
export const EQUIVALENT_WEIGHT = 0.5;

/** The stems equivalent to `term` (a stem), without `term` itself; empty for most words. */
export function equivalentsOf(term: string): readonly string[] {
  return table().get(term)?.others ?? [];
}

/**
 * What a query term stands for: its group, or the term itself. Two words of one query that
 * mean the same ("list all") count once.
 */
export function conceptOf(term: string): string {
  const group = table().get(term)?.intent;
  return group === undefined ? term : `#${group}`;
}

/**
 * What the query's words (lower-cased, unstemmed) ask to do. A question with no verb asks to
 * read; reading a plural asks for a list ("get exchange rates", "how many stars").
 */
export function intentsOf(words: readonly string[]): Set<Intent> {
  const intents = new Set<Intent>();
  for (const word of words) {
    const intent = table().get(stem(word))?.intent;
    if (intent) intents.add(intent);
  }
  if (intents.size === 0 && words.some((word) => QUESTION_WORDS.has(word))) intents.add("get");
  if (intents.size === 1 && intents.has("get") && words.some(isPlural)) return new Set(["list"]);
  return intents;
}

/** The intent a word (a stem) belongs to, if any: `postCustomers`'s verb `post` is a create. */
export function intentOf(term: string): Intent | undefined {
  return table().get(term)?.intent;
}

/** The stems of the words of an intent's group. */
export function stemsOf(intent: Intent): readonly string[] {
  return [...new Set(EQUIVALENT_WORDS[intent].map(stem))];
}

// --- private ---

let byStem: Map<string, { intent: Intent; others: string[] }> | undefined;

function table(): Map<string, { intent: Intent; others: string[] }> {
  if (byStem) return byStem;
  byStem = new Map();
  for (const intent of INTENTS) {
    const stems = stemsOf(intent);
    for (const member of stems) byStem.set(member, { intent, others: stems.filter((other) => other !== member) });
  }
  return byStem;
}

/** An English plural: `rates`, `alerts`, `issues`; not `status`, `access`, `analysis` or `this`. */
function isPlural(word: string): boolean {
  return word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word) && stem(word) !== word;
}
