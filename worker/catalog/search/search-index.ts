/**
 * The search index: BM25F postings for every term of every tool, plus what the re-ranking
 * reads (the terms of each tool's name, group and summary, its REST route's shape). Built
 * once per catalog revision from `SearchDocument`s, read-only after that, and kept in a few
 * flat typed arrays so that thousands of tools take a few megabytes. It does not answer
 * queries (ranker.ts).
 *
 * BM25F: a term's frequency in each field is weighted and normalised by the field's length
 * (a word in a short name counts more than one in a long description), the fields are summed
 * into one pseudo-frequency, which is saturated and multiplied by the term's rarity (idf). A
 * posting stores that whole score, so a query only adds numbers.
 */
import type { SearchDocument } from "./document";
import { INTENTS, intentOf } from "./equivalences";
import { termsOf } from "./terms";

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
  /** Each term's rarity (inverse document frequency). */
  readonly idf: Float32Array;
  /** Term t's postings are `postingDocs/postingScores[termStarts[t] .. termStarts[t + 1])`, highest score first. */
  readonly termStarts: Uint32Array;
  readonly postingDocs: Uint32Array;
  /** A posting's whole BM25F score: idf times the saturated, weighted, normalised frequency. */
  readonly postingScores: Float32Array;
  /** Distinct term ids of each document's name, group and summary (FIT_FIELDS): document d's field f is `fitTerms[fitStarts[3d + f] .. fitStarts[3d + f + 1])`. */
  readonly fitStarts: Uint32Array;
  readonly fitTerms: Uint32Array;
  /** Each document's REST route: its method's position in ROUTE_METHODS plus one (0 when it has none) times 2, plus 1 when the path ends in a `{placeholder}`. */
  readonly routeShapes: Uint8Array;
  /** Document ids in address order, for listing. */
  readonly byAddress: Uint32Array;
  /** The intent of each document's verb (the first word of its name) as its position in INTENTS plus one; 0 for none. */
  readonly verbIntents: Uint8Array;
  /** Integration slugs, and each document's position in them. */
  readonly integrations: readonly string[];
  readonly integrationOf: Uint32Array;
  /** Each document's place when scores tie: shorter addresses (more general tools) first, then address order. */
  readonly tieRanks: Uint32Array;
}

/** The fields the re-ranking reads the terms of, in `fitStarts` order. */
export const FIT_FIELDS = ["name", "group", "summary"] as const;
/** The HTTP methods a route shape records. */
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

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

/** Indexes `documents`; pure. A document's id is its position in `documents`. */
export function buildSearchIndex(documents: readonly SearchDocument[]): SearchIndex {
  const n = documents.length;
  const fieldTerms = documents.map((document) => FIELDS.map(({ key }) => termsOf(key === "route" ? routeWords(document.route) : document[key])));
  const averageLength = FIELDS.map((_, field) => fieldTerms.reduce((sum, fields) => sum + fields[field]!.length, 0) / Math.max(1, n) || 1);

  // Each term's documents with their pseudo-frequency: per field, weight / length norm.
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
  const idf = new Float32Array(sortedTerms.length);
  sortedTerms.forEach((term, id) => {
    const { docs, frequencies } = perTerm.get(term)!;
    idf[id] = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
    const scored = docs.map((doc, i) => ({ doc, score: (idf[id]! * frequencies[i]! * (K1 + 1)) / (frequencies[i]! + K1) }));
    scored.sort((a, b) => b.score - a.score || a.doc - b.doc);
    scored.forEach(({ doc, score }, i) => {
      postingDocs[termStarts[id]! + i] = doc;
      postingScores[termStarts[id]! + i] = score;
    });
  });

  const integrations = [...new Set(documents.map((document) => document.integration))];
  const fieldIndex = FIT_FIELDS.map((key) => FIELDS.findIndex((field) => field.key === key));
  const fitIds = fieldTerms.flatMap((fields) => fieldIndex.map((field) => [...new Set(fields[field])].map((term) => termIds.get(term)!)));
  const fitStarts = new Uint32Array(fitIds.length + 1);
  fitIds.forEach((ids, i) => (fitStarts[i + 1] = fitStarts[i]! + ids.length));

  return {
    size: n,
    hits: documents.map(({ address, integration, summary, hint }) => ({ address, integration, summary, hint })),
    termIds,
    sortedTerms,
    idf,
    termStarts,
    postingDocs,
    postingScores,
    fitStarts,
    fitTerms: Uint32Array.from(fitIds.flat()),
    routeShapes: Uint8Array.from(documents, (document) => routeShape(document.route)),
    byAddress: Uint32Array.from(documents.keys()).sort((a, b) => compareText(documents[a]!.address, documents[b]!.address)),
    tieRanks: ranksOf(documents),
    integrations,
    integrationOf: Uint32Array.from(documents, (document) => integrations.indexOf(document.integration)),
    verbIntents: Uint8Array.from(fitIds.filter((_, i) => i % FIT_FIELDS.length === 0), (name) => {
      const intent = name.length > 0 ? intentOf(sortedTerms[name[0]!]!) : undefined;
      return intent === undefined ? 0 : INTENTS.indexOf(intent) + 1;
    }),
  };
}

/** Code-point order, the same in every runtime (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- private ---

/** The method and the path's literal segments; `{placeholders}` are argument names, indexed as params. */
function routeWords(route: string): string {
  return route.replace(/^[A-Z]+ /, " ").replace(/\{[^}]*\}/g, " ");
}

function ranksOf(documents: readonly SearchDocument[]): Uint32Array {
  const order = Uint32Array.from(documents.keys()).sort((a, b) => documents[a]!.address.length - documents[b]!.address.length || compareText(documents[a]!.address, documents[b]!.address));
  const ranks = new Uint32Array(documents.length);
  order.forEach((doc, rank) => (ranks[doc] = rank));
  return ranks;
}

function routeShape(route: string): number {
  const match = /^([A-Z]+) (\/\S*)$/.exec(route);
  const method = match ? ROUTE_METHODS.indexOf(match[1] as (typeof ROUTE_METHODS)[number]) : -1;
  if (method < 0) return 0;
  return (method + 1) * 2 + (/\}\/?$/.test(match![2]!) ? 1 : 0);
}

/** Ties go to the shorter address (the more general tool), then to address order. */
export function tieBreak(index: SearchIndex, a: number, b: number): number {
  return index.tieRanks[a]! - index.tieRanks[b]!;
}
