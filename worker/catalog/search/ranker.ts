/**
 * The search index and its ranking, in two stages.
 *
 * 1. BM25F over a tool's fields finds and orders the candidates. A term's frequency in each
 *    field is weighted and normalised by the field's length (a word in a short name counts
 *    more than one in a long description), the fields are summed, and the sum is saturated
 *    and multiplied by the term's rarity (idf): a generic word such as `list` or `repository`
 *    adds little, the one word that matters adds a lot. A query word also matches its
 *    equivalents at a lower weight (equivalences.ts), words of one query that mean the same
 *    count once, and a word no tool has matches the words it begins (`config` →
 *    `configuration`).
 * 2. The best candidates are re-ordered by how well the tool's own name and summary fit the
 *    query: `merge a pull request` is exactly `pulls.merge` ("Merge a pull request."), while
 *    `pulls.checkIfMerged` only shares words with it. Sums of word scores cannot see that.
 *
 * The index is built once per catalog revision and read-only after that; `search` is pure
 * and synchronous. Postings live in a few flat typed arrays, so the index of thousands of
 * tools stays small and a query only touches the tools that contain its words.
 * No FTS5: `wrangler d1 export` refuses databases with virtual tables, and backups matter more.
 */
import type { SearchDocument } from "./document";
import { conceptOf, EQUIVALENT_WEIGHT, equivalentsOf, intentsOf, stemsOf, type Intent } from "./equivalences";
import { termsOf, wordsOf } from "./terms";

/** What a search answer carries for one tool. */
export interface SearchHit {
  address: string;
  integration: string;
  summary: string;
  hint: string;
}

/** Built by `buildSearchIndex`; read-only. Its fields other than `size` are the ranker's business. */
export interface SearchIndex {
  /** Number of tools indexed. */
  readonly size: number;
  readonly hits: readonly SearchHit[];
  readonly termIds: ReadonlyMap<string, number>;
  /** Terms by id, which is their sorted order, for prefix look-ups. */
  readonly sortedTerms: readonly string[];
  /** Term t's postings are `postingDocs/postingScores[termStarts[t] .. termStarts[t + 1])`. */
  readonly termStarts: Uint32Array;
  readonly postingDocs: Uint32Array;
  /** A posting's whole BM25F score: idf times the saturated, weighted, normalised frequency. */
  readonly postingScores: Float32Array;
  /** Each term's rarity (inverse document frequency). */
  readonly idf: Float32Array;
  /** Each term's best posting score: a bound for pruning. */
  readonly maxScore: Float32Array;
  /** Distinct term ids of each document's name, group and summary, for stage 2: document d's field f is `fitTerms[fitStarts[3d + f] .. fitStarts[3d + f + 1])`. */
  readonly fitStarts: Uint32Array;
  readonly fitTerms: Uint32Array;
  /** Each document's REST route shape: its method (ROUTE_METHODS index + 1, 0 for none) times 2, plus 1 for a path ending in a `{placeholder}`. */
  readonly routeShapes: Uint8Array;
  /** Document ids in address order, for listing. */
  readonly byAddress: Uint32Array;
}

export interface SearchOptions {
  /** Only tools of this integration. */
  integration?: string;
  /** Only tools this accepts (e.g. not blocked by policy); `total` counts these. */
  include?: (hit: SearchHit) => boolean;
  /** Hits to skip, default 0. */
  offset?: number;
  /** Hits to return, default all. */
  limit?: number;
}

export interface SearchResult {
  /** Best first; in address order when the query has no searchable word. */
  hits: SearchHit[];
  /** Every tool that matched and passed the filters, not just this page. */
  total: number;
}

/** Field weights and length normalisation (BM25F). Tuned on the tuning half of test/catalog/search-eval. */
const FIELDS = [
  { key: "name", weight: 1.5, b: 0.5 },
  { key: "group", weight: 2.5, b: 0.3 },
  { key: "summary", weight: 3, b: 0.6 },
  { key: "description", weight: 0.5, b: 0.75 },
  { key: "route", weight: 1, b: 0.5 },
  { key: "params", weight: 0.3, b: 0.5 },
] as const satisfies readonly { key: keyof SearchDocument; weight: number; b: number }[];
/** BM25 saturation: how fast repeats of a word stop adding. */
const K1 = 1.2;
/** Stage 1 multiplies by the share of the query's meanings a tool has, to this power. */
const COORDINATION = 1;
/** A word that only begins indexed words matches them at this weight. */
const PREFIX_WEIGHT = 0.5;
const PREFIX_MIN_CHARS = 3;
const PREFIX_MAX_TERMS = 30;
/** Stage 2 re-orders this many of the best candidates. */
const RERANKED = 50;
/** Stage 2: the weights of the stage-1 score (as a share of the best one) and of each fit, all in 0..1. */
const FIT_STAGE1 = 2;
const FIT_NAME = 1;
const FIT_SUMMARY = 0.6;
const FIT_QUERY_IN_NAME = 2;
const FIT_VERB = 0.3;
const FIT_SHAPE = 0.5;
const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Fields whose terms stage 2 reads, in the order of `fitStarts`. */
const FIT_FIELDS = ["name", "group", "summary"] as const;

/** Indexes `documents`; pure. A document's id is its position in `documents`. */
export function buildSearchIndex(documents: readonly SearchDocument[]): SearchIndex {
  const n = documents.length;
  const fieldTerms = documents.map((document) => FIELDS.map(({ key }) => termsOf(key === "route" ? routeWords(document.route) : document[key])));
  const averageLength = FIELDS.map((_, field) => fieldTerms.reduce((sum, fields) => sum + fields[field]!.length, 0) / Math.max(1, n) || 1);

  // Each term's documents with BM25F's pseudo-frequency: per field, weight / length norm.
  const perTerm = new Map<string, { docs: number[]; frequencies: number[] }>();
  fieldTerms.forEach((fields, doc) => {
    const frequency = new Map<string, number>();
    fields.forEach((terms, field) => {
      const { weight, b } = FIELDS[field]!;
      const norm = weight / (1 - b + (b * terms.length) / averageLength[field]!);
      for (const term of terms) frequency.set(term, (frequency.get(term) ?? 0) + norm);
    });
    for (const [term, value] of frequency) {
      let list = perTerm.get(term);
      if (!list) perTerm.set(term, (list = { docs: [], frequencies: [] }));
      list.docs.push(doc);
      list.frequencies.push(value);
    }
  });

  const sortedTerms = [...perTerm.keys()].sort();
  const termIds = new Map(sortedTerms.map((term, id) => [term, id]));
  const termStarts = new Uint32Array(sortedTerms.length + 1);
  sortedTerms.forEach((term, id) => (termStarts[id + 1] = termStarts[id]! + perTerm.get(term)!.docs.length));
  const postingDocs = new Uint32Array(termStarts[sortedTerms.length]!);
  const postingScores = new Float32Array(postingDocs.length);
  const idfs = new Float32Array(sortedTerms.length);
  const maxScore = new Float32Array(sortedTerms.length);
  sortedTerms.forEach((term, id) => {
    const { docs, frequencies } = perTerm.get(term)!;
    const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
    idfs[id] = idf;
    docs.forEach((doc, i) => {
      const frequency = frequencies[i]!;
      postingDocs[termStarts[id]! + i] = doc;
      postingScores[termStarts[id]! + i] = (idf * frequency * (K1 + 1)) / (frequency + K1);
      maxScore[id] = Math.max(maxScore[id]!, postingScores[termStarts[id]! + i]!);
    });
  });

  const fitIds = fieldTerms.flatMap((fields) => FIT_FIELDS.map((key) => [...new Set(fields[FIELDS.findIndex((field) => field.key === key)])].map((term) => termIds.get(term)!)));
  const fitStarts = new Uint32Array(fitIds.length + 1);
  fitIds.forEach((ids, i) => (fitStarts[i + 1] = fitStarts[i]! + ids.length));
  const fitTerms = Uint32Array.from(fitIds.flat());

  const routeShapes = Uint8Array.from(documents, (document) => routeShape(document.route));
  const byAddress = Uint32Array.from(documents.keys()).sort((a, b) => compareText(documents[a]!.address, documents[b]!.address));
  return {
    size: n,
    hits: documents.map(({ address, integration, summary, hint }) => ({ address, integration, summary, hint })),
    termIds,
    sortedTerms,
    termStarts,
    postingDocs,
    postingScores,
    idf: idfs,
    maxScore,
    fitStarts,
    fitTerms,
    routeShapes,
    byAddress,
  };
}

/**
 * Tools for `query`, best first, filtered and paged by `options`. Pure and synchronous. With
 * a `limit`, stage 1 stops taking new candidates once none could reach the page or the
 * re-ranked head (an exact bound, so the answer is the same), which keeps the time of a query
 * nearly flat as the catalog grows; `total` still counts every match.
 */
export function search(index: SearchIndex, query: string, options: SearchOptions = {}): SearchResult {
  const offset = Math.max(0, options.offset ?? 0);
  const end = options.limit === undefined ? Infinity : offset + Math.max(0, options.limit);
  const scratch = scratchFor(index);
  try {
    const accepted = (doc: number): boolean => {
      let verdict = scratch.accepted[doc]!;
      if (verdict === 0) {
        const hit = index.hits[doc]!;
        const ok = (options.integration === undefined || hit.integration === options.integration) && (options.include === undefined || options.include(hit));
        verdict = scratch.accepted[doc] = ok ? 1 : 2;
        scratch.decided.push(doc);
      }
      return verdict === 1;
    };
    const { concepts, intents } = conceptsOf(index, query);
    if (concepts.length === 0) {
      const listed = [...index.byAddress].filter(accepted);
      return { hits: listed.slice(offset, end).map((doc) => index.hits[doc]!), total: listed.length };
    }
    const { candidates, score } = scoreConcepts(index, scratch, concepts, Math.max(RERANKED, end), accepted);
    const head = rerank(index, concepts, intents, candidates.slice(0, RERANKED), score);
    const ranked = end <= RERANKED ? head : [...head, ...candidates.slice(RERANKED)];
    return { hits: ranked.slice(offset, end).map((doc) => index.hits[doc]!), total: countMatches(index, scratch, concepts, accepted) };
  } finally {
    releaseScratch(scratch);
  }
}

// --- private ---

/** One meaning of the query: the term ids that express it, each with its weight. */
type Concept = Map<number, number>;

/** The query's meanings (equivalent words share one, unknown words have none) and what it asks to do. */
function conceptsOf(index: SearchIndex, query: string): { concepts: Concept[]; intents: Set<Intent> } {
  const byKey = new Map<string | number, Concept>();
  for (const term of new Set(termsOf(query))) {
    const key = conceptOf(term);
    let concept = byKey.get(key);
    if (!concept) byKey.set(key, (concept = new Map()));
    const add = (id: number | undefined, weight: number) => {
      if (id !== undefined && weight > (concept!.get(id) ?? 0)) concept!.set(id, weight);
    };
    const own = index.termIds.get(term);
    add(own, 1);
    for (const equivalent of equivalentsOf(term)) add(index.termIds.get(equivalent), EQUIVALENT_WEIGHT);
    if (own === undefined && term.length >= PREFIX_MIN_CHARS) {
      let added = 0;
      for (let id = lowerBound(index.sortedTerms, term); id < index.sortedTerms.length && added < PREFIX_MAX_TERMS; id++, added++) {
        if (!index.sortedTerms[id]!.startsWith(term)) break;
        add(id, PREFIX_WEIGHT);
      }
    }
  }
  // A question without a verb ("who am I") also looks for the read verbs.
  const intents = intentsOf(wordsOf(query));
  if ((intents.has("get") || intents.has("list")) && !byKey.has(conceptOf("get")) && !byKey.has(conceptOf("list"))) {
    const read: Concept = new Map();
    for (const term of [...stemsOf("get"), ...stemsOf("list")]) {
      const id = index.termIds.get(term);
      if (id !== undefined) read.set(id, EQUIVALENT_WEIGHT);
    }
    byKey.set("#read", read);
  }
  return { concepts: [...byKey.values()].filter((concept) => concept.size > 0), intents };
}

/**
 * Per-document working arrays, kept with the index so that a query costs what it touches,
 * not what the catalog holds. Every entry a query sets is reset before it returns.
 */
interface Scratch {
  /** Stage-1 score so far. */
  raw: Float64Array;
  /** The current concept's best value per document. */
  best: Float64Array;
  /** Concepts matched. */
  matches: Uint8Array;
  /** 0 undecided, 1 accepted, 2 filtered out. */
  accepted: Uint8Array;
  decided: number[];
  /** Documents whose `raw`/`matches` are set. */
  touched: number[];
  busy: boolean;
}

const scratches = new WeakMap<SearchIndex, Scratch>();

function scratchFor(index: SearchIndex): Scratch {
  const existing = scratches.get(index);
  // A filter callback that searches the same index gets its own arrays.
  if (existing && !existing.busy) {
    existing.busy = true;
    return existing;
  }
  const scratch: Scratch = { raw: new Float64Array(index.size), best: new Float64Array(index.size), matches: new Uint8Array(index.size), accepted: new Uint8Array(index.size), decided: [], touched: [], busy: true };
  if (!existing) scratches.set(index, scratch);
  return scratch;
}

function releaseScratch(scratch: Scratch): void {
  for (const doc of scratch.touched) {
    scratch.raw[doc] = 0;
    scratch.matches[doc] = 0;
  }
  for (const doc of scratch.decided) scratch.accepted[doc] = 0;
  scratch.touched.length = 0;
  scratch.decided.length = 0;
  scratch.busy = false;
}

/**
 * Stage 1: documents by summed BM25F score times coordination, best first; the accepted ones
 * only. Concepts are taken rarest first; once the concepts left could not lift a document
 * that has none of the ones seen above the `depth`-th best, only the documents already found
 * are scored further (MaxScore-style pruning; exact for the first `depth`).
 */
function scoreConcepts(index: SearchIndex, scratch: Scratch, concepts: Concept[], depth: number, accepted: (doc: number) => boolean): { candidates: number[]; score: Float64Array } {
  const { raw, best, matches, touched } = scratch;
  const n = concepts.length;
  const bounds = concepts.map((concept) => {
    let bound = 0;
    for (const [id, weight] of concept) bound = Math.max(bound, weight * index.maxScore[id]!);
    return bound;
  });
  const order = concepts.map((_, i) => i).sort((a, b) => bounds[b]! - bounds[a]!);
  let remaining = bounds.reduce((sum, bound) => sum + bound, 0);
  let open = true;
  for (let step = 0; step < n; step++) {
    const concept = concepts[order[step]!]!;
    remaining -= bounds[order[step]!]!;
    const seen: number[] = [];
    for (const [id, weight] of concept) {
      const from = index.termStarts[id]!;
      const to = index.termStarts[id + 1]!;
      if (open || touched.length * Math.log2(to - from + 1) > to - from) {
        for (let p = from; p < to; p++) {
          const doc = index.postingDocs[p]!;
          if (!open && matches[doc] === 0) continue;
          const value = weight * index.postingScores[p]!;
          if (best[doc] === 0) seen.push(doc);
          if (value > best[doc]!) best[doc] = value;
        }
      } else {
        for (const doc of touched) {
          const p = findPosting(index.postingDocs, from, to, doc);
          if (p < 0) continue;
          const value = weight * index.postingScores[p]!;
          if (best[doc] === 0) seen.push(doc);
          if (value > best[doc]!) best[doc] = value;
        }
      }
    }
    // A concept counts once per document: its best-matching word.
    for (const doc of seen) {
      if (matches[doc] === 0) touched.push(doc);
      raw[doc] += best[doc]!;
      matches[doc]! += 1;
      best[doc] = 0;
    }
    if (open && depth !== Infinity && step < n - 1 && touched.length >= depth) {
      // A document none of the concepts so far matched scores at most `remaining` on the
      // rest, with at most n - step - 1 of n concepts matched.
      const ceiling = remaining * ((n - step - 1) / n) ** COORDINATION;
      const scores = touched.filter(accepted).map((doc) => raw[doc]! * (matches[doc]! / n) ** COORDINATION);
      if (scores.length >= depth && ceiling < kthLargest(Float64Array.from(scores), depth)) open = false;
    }
  }
  // Coordination: a tool that has more of the query's meanings is a better answer than one
  // that has a single rare word many times.
  // The final stage-1 scores are written over `raw` (reset when the query ends).
  const candidates = touched.filter(accepted);
  for (const doc of candidates) raw[doc] = raw[doc]! * (matches[doc]! / n) ** COORDINATION;
  return { candidates: topByScore(index, candidates, raw, depth), score: raw };
}

/** Every accepted document that matches a concept. */
function countMatches(index: SearchIndex, scratch: Scratch, concepts: Concept[], accepted: (doc: number) => boolean): number {
  const counted: number[] = [];
  let total = 0;
  for (const concept of concepts) {
    for (const id of concept.keys()) {
      for (let p = index.termStarts[id]!; p < index.termStarts[id + 1]!; p++) {
        const doc = index.postingDocs[p]!;
        if (scratch.best[doc] !== 0) continue;
        scratch.best[doc] = 1;
        counted.push(doc);
        if (accepted(doc)) total++;
      }
    }
  }
  for (const doc of counted) scratch.best[doc] = 0;
  return total;
}

/** The position of `doc` in the sorted postings `docs[from..to)`, or -1. */
function findPosting(docs: Uint32Array, from: number, to: number, doc: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (docs[middle]! < doc) low = middle + 1;
    else high = middle;
  }
  return low < to && docs[low] === doc ? low : -1;
}

/** Stage 2: the best RERANKED of `docs` by stage 1, re-ordered by how the name and summary fit. */
function rerank(index: SearchIndex, concepts: Concept[], intents: Set<Intent>, docs: number[], score: Float64Array): number[] {
  const head = topByScore(index, docs, score, RERANKED);
  const top = head.length > 0 ? score[head[0]!]! : 1;
  const final = new Map<number, number>();
  for (const doc of head) {
    const name = fitField(index, doc, 0);
    const group = fitField(index, doc, 1);
    const summary = fitField(index, doc, 2);
    let queryInName = 0;
    let queryWeight = 0;
    for (const concept of concepts) {
      const rarity = conceptRarity(index, concept);
      queryInName += rarity * Math.max(bestWeight(concept, name), bestWeight(concept, group));
      queryWeight += rarity;
    }
    // Operation names start with their verb (`createFork`, `postCustomers`): does the query ask for it?
    const verb = name.length > 0 ? precision(index, concepts, name.subarray(0, 1)) : 0;
    const fit =
      FIT_NAME * precision(index, concepts, name) +
      FIT_SUMMARY * precision(index, concepts, summary) +
      (FIT_QUERY_IN_NAME * queryInName) / queryWeight +
      FIT_VERB * verb +
      FIT_SHAPE * shapeFit(intents, index.routeShapes[doc]!);
    final.set(doc, (FIT_STAGE1 * score[doc]!) / top + fit);
  }
  return head.sort((a, b) => final.get(b)! - final.get(a)! || byAddressLength(index, a, b));
}

/**
 * How well a REST route's method and shape answer what the query asks, by REST's
 * conventions: create is a POST to a collection, list a GET of one, get a GET of an item,
 * update a PUT, PATCH or POST to an item, delete a DELETE. `create a quote` is
 * `POST /quotes`, not `POST /quotes/{quote}/cancel`. 0 when the tool has no REST route.
 */
function shapeFit(intents: Set<Intent>, shape: number): number {
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

function routeShape(route: string): number {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route);
  const method = match ? ROUTE_METHODS.indexOf(match[1] as (typeof ROUTE_METHODS)[number]) : -1;
  if (method < 0) return 0;
  return (method + 1) * 2 + (/\}\/?$/.test(match![2]!) ? 1 : 0);
}

function fitField(index: SearchIndex, doc: number, field: number): Uint32Array {
  return index.fitTerms.subarray(index.fitStarts[3 * doc + field]!, index.fitStarts[3 * doc + field + 1]!);
}

/**
 * The share of `terms` that the query covers, each term counted by its rarity and its best
 * weight in any concept: an unasked-for rare word (`ruleset`) costs more than a common one
 * (`user`).
 */
function precision(index: SearchIndex, concepts: Concept[], terms: Uint32Array): number {
  let covered = 0;
  let all = 0;
  for (const term of terms) {
    let best = 0;
    for (const concept of concepts) best = Math.max(best, concept.get(term) ?? 0);
    covered += best * index.idf[term]!;
    all += index.idf[term]!;
  }
  return all === 0 ? 0 : covered / all;
}

/** A concept's rarity: that of its rarest own word. */
function conceptRarity(index: SearchIndex, concept: Concept): number {
  let rarity = 0;
  for (const [term, weight] of concept) if (weight === 1) rarity = Math.max(rarity, index.idf[term]!);
  if (rarity === 0) for (const term of concept.keys()) rarity = Math.max(rarity, index.idf[term]!);
  return rarity;
}

function bestWeight(concept: Concept, terms: Uint32Array): number {
  let best = 0;
  for (const term of terms) best = Math.max(best, concept.get(term) ?? 0);
  return best;
}

/** The `count` best of `docs` by stage-1 score, best first. */
function topByScore(index: SearchIndex, docs: number[], score: Float64Array, count: number): number[] {
  if (docs.length <= count) return [...docs].sort((a, b) => byScore(index, score, a, b));
  // The count-th best score by selection, then only the documents at or above it are sorted.
  const values = Float64Array.from(docs, (doc) => score[doc]!);
  const threshold = kthLargest(values, count);
  const above = docs.filter((doc) => score[doc]! >= threshold).sort((a, b) => byScore(index, score, a, b));
  return above.slice(0, count);
}

/** Quickselect: the k-th largest value (1-based); reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else return values[target]!;
  }
  return values[target]!;
}

function byScore(index: SearchIndex, score: Float64Array, a: number, b: number): number {
  return score[b]! - score[a]! || byAddressLength(index, a, b);
}

/** Ties go to the shorter address (the more general tool), then to address order. */
function byAddressLength(index: SearchIndex, a: number, b: number): number {
  const first = index.hits[a]!.address;
  const second = index.hits[b]!.address;
  return first.length - second.length || compareText(first, second);
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

/** The method and the path's literal segments; `{placeholders}` are argument names, indexed as params. */
function routeWords(route: string): string {
  return route.replace(/\{[^}]*\}/g, " ");
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
