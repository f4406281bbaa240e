/**
 * Stage 2 of a query: the best candidates re-ordered by how well each tool's own name and
 * summary fit the query. `merge a pull request` is exactly `pulls.merge` ("Merge a pull
 * request."), while `pulls.checkIfMerged` only shares words with it; a sum of word scores
 * cannot see the difference, these fits can:
 * - name and summary precision: the share of their words the query asked for, each word
 *   counted by its rarity (an unasked-for `ruleset` costs more than an unasked-for `user`);
 * - the query in the name: the share of the query's concepts found in the name or group;
 * - the verb: whether the query asks for the name's first word (`createFork`, `postCustomers`);
 * - the route shape: whether REST's conventions make the tool's method and path the answer
 *   to what the query asks (create is a POST to a collection, `POST /quotes`, not
 *   `POST /quotes/{quote}/cancel`).
 * The final score adds these to the stage-1 score as a share of the best one.
 */
import { INTENTS, type Intent } from "./equivalences";
import type { Concept, ParsedQuery } from "./query";
import { ROUTE_METHODS, tieBreak, type SearchIndex } from "./search-index";

/** How many of the best candidates are re-ordered. */
export const RERANKED = 30;
/** Weights of the stage-1 score (as a share of the best one) and of each fit (each in 0..1). Tuned on the tuning half of test/catalog/search-eval. */
const FIT_STAGE1 = 2;
const FIT_NAME = 1;
const FIT_SUMMARY = 1;
const FIT_QUERY_IN_NAME = 1;
const FIT_VERB = 0.3;
const FIT_SHAPE = 0.5;
/** Taken off when the tool's verb does something else than the query asks (`deleteFile` for "read a file"). */
const VERB_CONFLICT = 0.5;

/** `docs` (best first by `score`) re-ordered by their fit to `query`. */
export function rerank(index: SearchIndex, query: ParsedQuery, docs: readonly number[], score: Float64Array): number[] {
  const { concepts, intents } = query;
  const top = docs.length > 0 ? score[docs[0]!]! : 1;
  const rarities = concepts.map((concept) => rarity(index, concept));
  const rarityTotal = rarities.reduce((sum, value) => sum + value, 0) || 1;
  // Each term's best weight in any concept, looked up once per term below.
  const cover = new Map<number, number>();
  for (const concept of concepts) for (const [term, weight] of concept) cover.set(term, Math.max(weight, cover.get(term) ?? 0));
  const final = new Map<number, number>();
  for (const doc of docs) {
    const name = fitTerms(index, doc, 0);
    const group = fitTerms(index, doc, 1);
    const summary = fitTerms(index, doc, 2);
    let queryInName = 0;
    concepts.forEach((concept, i) => (queryInName += rarities[i]! * Math.max(bestWeight(concept, name), bestWeight(concept, group))));
    const fit =
      FIT_NAME * precision(index, cover, name) +
      FIT_SUMMARY * precision(index, cover, summary) +
      (FIT_QUERY_IN_NAME * queryInName) / rarityTotal +
      FIT_VERB * (name.length > 0 ? precision(index, cover, name.subarray(0, 1)) : 0) +
      FIT_SHAPE * shapeFit(intents, index.routeShapes[doc]!) -
      VERB_CONFLICT * verbConflict(intents, index.verbIntents[doc]!);
    final.set(doc, (FIT_STAGE1 * score[doc]!) / top + fit);
  }
  return [...docs].sort((a, b) => final.get(b)! - final.get(a)! || tieBreak(index, a, b));
}

// --- private ---

function fitTerms(index: SearchIndex, doc: number, field: number): Uint32Array {
  return index.fitTerms.subarray(index.fitStarts[3 * doc + field]!, index.fitStarts[3 * doc + field + 1]!);
}

/** The share of `terms` the query covers, each term counted by its rarity and its best weight in any concept (`cover`). */
function precision(index: SearchIndex, cover: ReadonlyMap<number, number>, terms: Uint32Array): number {
  let covered = 0;
  let all = 0;
  for (const term of terms) {
    covered += (cover.get(term) ?? 0) * index.idf[term]!;
    all += index.idf[term]!;
  }
  return all === 0 ? 0 : covered / all;
}

/** A concept's rarity: that of its rarest word of weight 1, or of any word when it has none. */
function rarity(index: SearchIndex, concept: Concept): number {
  let own = 0;
  let any = 0;
  for (const [term, weight] of concept) {
    any = Math.max(any, index.idf[term]!);
    if (weight === 1) own = Math.max(own, index.idf[term]!);
  }
  return own || any;
}

function bestWeight(concept: Concept, terms: Uint32Array): number {
  let best = 0;
  for (const term of terms) best = Math.max(best, concept.get(term) ?? 0);
  return best;
}

/**
 * 1 when the query asks for something (create, read, update, delete, copy) and the tool's
 * verb does another of these; reads (get, list, search) do not conflict with each other.
 */
function verbConflict(intents: ReadonlySet<Intent>, verbIntent: number): number {
  const verb = INTENTS[verbIntent - 1];
  if (verb === undefined || intents.size === 0) return 0;
  const kind = (intent: Intent) => (intent === "get" || intent === "list" || intent === "search" ? "read" : intent);
  for (const intent of intents) if (kind(intent) === kind(verb)) return 0;
  return 1;
}

/**
 * How well a REST route's method and shape answer what the query asks: create is a POST to
 * a collection, list a GET of one, get a GET (of an item, best), update a PUT, PATCH or POST
 * to an item, delete a DELETE. 0 when the tool has no REST route.
 */
function shapeFit(intents: ReadonlySet<Intent>, shape: number): number {
  const method = ROUTE_METHODS[(shape >> 1) - 1];
  if (method === undefined) return 0;
  const item = (shape & 1) === 1;
  let fit = 0;
  for (const intent of intents) {
    if (intent === "create" && method === "POST" && !item) fit = 1;
    else if (intent === "list" && method === "GET" && !item) fit = 1;
    else if (intent === "get" && method === "GET") fit = Math.max(fit, item ? 1 : 0.5);
    else if (intent === "update" && method !== "GET" && method !== "DELETE" && item) fit = 1;
    else if (intent === "delete" && method === "DELETE") fit = 1;
  }
  return fit;
}
