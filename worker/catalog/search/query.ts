/**
 * A query as the ranker reads it: its concepts, each the set of indexed terms that express
 * one meaning of the query with a weight (1 for the query's own word, less for an
 * equivalent or for a word it only begins), and what it asks to do (create, list, ...).
 * Words of one query that mean the same ("list all") make one concept; a question with no
 * verb ("who am I") gets a concept of the read verbs. It does not score documents.
 */
import { conceptOf, EQUIVALENT_WEIGHT, equivalentsOf, intentOf, intentsOf, stemsOf, type Intent } from "./equivalences";
import type { SearchIndex } from "./search-index";
import { stem, termsOf, wordsOf } from "./terms";

/** One meaning of the query: term id → weight. */
export type Concept = ReadonlyMap<number, number>;

export interface ParsedQuery {
  /** Whether the query has any searchable word (known to the index or not); without one it asks for a listing. */
  searchable: boolean;
  /** Only concepts with at least one indexed term. */
  concepts: Concept[];
  intents: ReadonlySet<Intent>;
  /** The one integration the query names, if it names exactly one (its name is then not a word to match). */
  integration?: string;
}

/**
 * A query is the agent's text, so it is bounded: only its first MAX_QUERY_CHARS characters
 * and MAX_QUERY_TERMS distinct terms are read (a task in words needs far fewer).
 */
export const MAX_QUERY_CHARS = 500;
const MAX_QUERY_TERMS = 32;

/** A word that only begins indexed words (none is indexed itself) matches them at this weight. */
const PREFIX_WEIGHT = 0.5;
const PREFIX_MIN_CHARS = 3;
const PREFIX_MAX_TERMS = 30;
/**
 * The stemmed ending of the one a verb is done to: assign → assigne(e), invite → invite(e). (The
 * stemmer already joins `reviewer` to `review`; `or` would join `execution` to `executor`.)
 */
const RECIPIENT_NOUN_ENDINGS: ReadonlySet<string> = new Set(["e"]);
const ADJECTIVE_VERBS: ReadonlySet<string> = new Set(["all", "open", "new"]);
/** `un` + a verb of at least three letters. */
const UNDONE_MIN_CHARS = 5;

/** The query's concepts and intents against `index`'s vocabulary. */
export function parseQuery(index: SearchIndex, query: string): ParsedQuery {
  const byKey = new Map<string, Map<number, number>>();
  const add = (key: string, id: number | undefined, weight: number) => {
    if (id === undefined) return;
    let concept = byKey.get(key);
    if (!concept) byKey.set(key, (concept = new Map()));
    if (weight > (concept.get(id) ?? 0)) concept.set(id, weight);
  };
  const text = query.slice(0, MAX_QUERY_CHARS);
  // An integration's name says where to look, not what to match ("list all repositories on GitHub").
  const tokens = text.split(/[^A-Za-z0-9_-]+/);
  const named = [...new Set(tokens.map((token) => token.toLowerCase()).filter((token) => index.integrations.includes(token)))];
  const kept = named.length === 1 ? tokens.filter((token) => token.toLowerCase() !== named[0]).join(" ") : text;
  const all = undoneWords(index, wordsOf(kept));
  const adjectives = adjectivesOf(all);
  const words = all.filter((word) => !adjectives.has(word));
  const terms = new Set<string>();
  for (const term of termsOf(words.join(" "))) if (terms.size < MAX_QUERY_TERMS) terms.add(term);
  const literal = new Set(termsOf([...adjectives].filter((word) => word !== "all").join(" ")));
  for (const term of literal) if (terms.size < MAX_QUERY_TERMS) terms.add(term);
  for (const term of terms) {
    const key = literal.has(term) ? term : conceptOf(term);
    const own = index.termIds.get(term);
    add(key, own, 1);
    if (!literal.has(term)) for (const equivalent of equivalentsOf(term)) add(key, index.termIds.get(equivalent), EQUIVALENT_WEIGHT);
    if (term.length >= PREFIX_MIN_CHARS) {
      // A word the index lacks matches the words it begins; one it has, only its `-ee` (`assign`, `assignee`).
      const first = lowerBound(index.sortedTerms, term);
      for (let id = first; id < index.sortedTerms.length && id - first < PREFIX_MAX_TERMS && index.sortedTerms[id]!.startsWith(term); id++) {
        if (own === undefined || RECIPIENT_NOUN_ENDINGS.has(index.sortedTerms[id]!.slice(term.length))) add(key, id, PREFIX_WEIGHT);
      }
    }
  }
  const intents = intentsOf(words);
  // A question without a read verb of its own ("who am I") looks for the read verbs.
  if ((intents.has("get") || intents.has("list")) && !byKey.has(conceptOf("get")) && !byKey.has(conceptOf("list"))) {
    for (const term of [...stemsOf("get"), ...stemsOf("list")]) add("#read", index.termIds.get(term), EQUIVALENT_WEIGHT);
  }
  return { searchable: terms.size > 0, concepts: [...byKey.values()], intents, integration: named.length === 1 ? named[0] : undefined };
}

/**
 * `unassign` is also `remove` + `assign` when the catalog has the word `assign`; it keeps its
 * own word only when the catalog has that too (`unfollow` finds `users.unfollow` first). Only
 * when the query has no other verb: in "list unread notifications", `unread` describes.
 */
function undoneWords(index: SearchIndex, words: readonly string[]): string[] {
  if (words.some((word) => intentOf(stem(word)) !== undefined)) return [...words];
  return words.flatMap((word) => {
    if (word.length < UNDONE_MIN_CHARS || !word.startsWith("un")) return [word];
    const done = word.slice(2);
    if (!index.termIds.has(stem(done))) return [word];
    return index.termIds.has(stem(word)) ? [word, "remove", done] : ["remove", done];
  });
}

/**
 * Words that ask for an action alone ("all issues", "open a pull request") but describe a
 * thing beside another verb: "replace all labels", "list open issues". Those are matched as
 * plain words (`open` as a state), not as verbs; `all` not at all.
 */
function adjectivesOf(words: readonly string[]): Set<string> {
  const verbs = words.filter((word) => intentOf(stem(word)) !== undefined);
  if (!verbs.some((word) => !ADJECTIVE_VERBS.has(word))) return new Set();
  return new Set(verbs.filter((word) => ADJECTIVE_VERBS.has(word)));
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
