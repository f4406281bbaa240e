/**
 * A query as the ranker reads it: its concepts, each the set of indexed terms that express
 * one meaning of the query with a weight (1 for the query's own word, less for an
 * equivalent or for a word it only begins), and what it asks to do (create, list, ...).
 * Words of one query that mean the same ("list all") make one concept; a question with no
 * verb ("who am I") gets a concept of the read verbs. It does not score documents.
 */
import { conceptOf, EQUIVALENT_WEIGHT, equivalentsOf, intentsOf, stemsOf, type Intent } from "./equivalences";
import type { SearchIndex } from "./search-index";
import { termsOf, wordsOf } from "./terms";

/** One meaning of the query: term id → weight. */
export type Concept = ReadonlyMap<number, number>;

export interface ParsedQuery {
  /** Whether the query has any searchable word (known to the index or not); without one it asks for a listing. */
  searchable: boolean;
  /** Only concepts with at least one indexed term. */
  concepts: Concept[];
  intents: ReadonlySet<Intent>;
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

/** The query's concepts and intents against `index`'s vocabulary. */
export function parseQuery(index: SearchIndex, query: string): ParsedQuery {
  const byKey = new Map<string, Map<number, number>>();
  const add = (key: string, id: number | undefined, weight: number) => {
    if (id === undefined) return;
    let concept = byKey.get(key);
    if (!concept) byKey.set(key, (concept = new Map()));
    if (weight > (concept.get(id) ?? 0)) concept.set(id, weight);
  };
  const terms = new Set<string>();
  for (const term of termsOf(query.slice(0, MAX_QUERY_CHARS))) if (terms.size < MAX_QUERY_TERMS) terms.add(term);
  for (const term of terms) {
    const key = conceptOf(term);
    const own = index.termIds.get(term);
    add(key, own, 1);
    for (const equivalent of equivalentsOf(term)) add(key, index.termIds.get(equivalent), EQUIVALENT_WEIGHT);
    if (own === undefined && term.length >= PREFIX_MIN_CHARS) {
      const first = lowerBound(index.sortedTerms, term);
      for (let id = first; id < index.sortedTerms.length && id - first < PREFIX_MAX_TERMS && index.sortedTerms[id]!.startsWith(term); id++) add(key, id, PREFIX_WEIGHT);
    }
  }
  const intents = intentsOf(wordsOf(query.slice(0, MAX_QUERY_CHARS)));
  // A question without a read verb of its own ("who am I") looks for the read verbs.
  if ((intents.has("get") || intents.has("list")) && !byKey.has(conceptOf("get")) && !byKey.has(conceptOf("list"))) {
    for (const term of [...stemsOf("get"), ...stemsOf("list")]) add("#read", index.termIds.get(term), EQUIVALENT_WEIGHT);
  }
  return { searchable: terms.size > 0, concepts: [...byKey.values()], intents };
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
