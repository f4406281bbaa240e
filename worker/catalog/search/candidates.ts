/**
 * Stage 1 of a query: the candidate tools and their BM25F scores. Each concept adds, per
 * tool, the score of its best-matching term (so "create" and its equivalent "add" in one
 * tool count once); the sum is then multiplied by the share of the query's concepts the tool
 * has (coordination: a tool with more of the query beats one with a single rare word).
 *
 * Postings are read best first and at most POSTINGS_PER_TERM accepted ones per term: a tool
 * past that point has the term only weakly, and a common word (`get`, `repository`) costs
 * the same in a catalog of 5,000 tools as in one of 500. This is what keeps a query's time
 * nearly flat as the catalog grows; the price is that a broad query finds the best matches
 * of each word rather than every tool that has it.
 */
import type { Concept } from "./query";
import { tieBreak, type SearchIndex } from "./search-index";

/** Postings read per term, at most, counting only accepted tools; a quarter of that for an equivalent or a prefix match (weight below 1). */
const POSTINGS_PER_TERM = 400;
const WEAK_SHARE = 4;

/**
 * Per-tool working arrays, kept with the index so that a query costs what it touches rather
 * than what the catalog holds. Every entry a query sets is reset by `releaseScratch`.
 */
export interface Scratch {
  /** Stage-1 score: the sum so far, then the final score of each candidate. */
  score: Float64Array;
  /** The current concept's best value per tool. */
  best: Float64Array;
  /** Concepts matched. */
  matches: Uint8Array;
  /** 0 undecided, 1 accepted, 2 filtered out. */
  verdicts: Uint8Array;
  decided: number[];
  /** Tools with a score: the first `touchedCount`. */
  touched: Uint32Array;
  touchedCount: number;
  /** Tools the current concept matched. */
  seen: Uint32Array;
  busy: boolean;
}

const scratches = new WeakMap<SearchIndex, Scratch>();

/** The index's working arrays; fresh ones when they are in use (a filter that searches the same index). */
export function acquireScratch(index: SearchIndex): Scratch {
  const kept = scratches.get(index);
  if (kept && !kept.busy) {
    kept.busy = true;
    return kept;
  }
  const scratch: Scratch = {
    score: new Float64Array(index.size),
    best: new Float64Array(index.size),
    matches: new Uint8Array(index.size),
    verdicts: new Uint8Array(index.size),
    decided: [],
    touched: new Uint32Array(index.size),
    touchedCount: 0,
    seen: new Uint32Array(index.size),
    busy: true,
  };
  if (!kept) scratches.set(index, scratch);
  return scratch;
}

/** Resets what a query set, so the arrays are all zero for the next one. */
export function releaseScratch(scratch: Scratch): void {
  for (let i = 0; i < scratch.touchedCount; i++) {
    const doc = scratch.touched[i]!;
    scratch.score[doc] = 0;
    scratch.matches[doc] = 0;
  }
  for (const doc of scratch.decided) scratch.verdicts[doc] = 0;
  scratch.touchedCount = 0;
  scratch.decided.length = 0;
  scratch.busy = false;
}

/** Which tools a query may return. */
export interface CandidateFilter {
  /** Only tools of this integration (its position in `index.integrations`). */
  integration?: number;
  /** Asked at most once per tool of that integration that matches. */
  accepts?: (doc: number) => boolean;
}

/** The accepted tools matching any concept; their scores are in `scratch.score`. */
export function findCandidates(index: SearchIndex, scratch: Scratch, concepts: readonly Concept[], filter: CandidateFilter = {}): number[] {
  const { score, best, matches, verdicts, seen } = scratch;
  const { termStarts, postingDocs, postingScores, integrationOf } = index;
  const { integration, accepts } = filter;
  let touched = scratch.touchedCount;
  for (const concept of concepts) {
    let seenCount = 0;
    for (const [id, weight] of concept) {
      const end = termStarts[id + 1]!;
      const cap = weight < 1 ? POSTINGS_PER_TERM / WEAK_SHARE : POSTINGS_PER_TERM;
      let read = 0;
      for (let p = termStarts[id]!; p < end && read < cap; p++) {
        const doc = postingDocs[p]!;
        if (integration !== undefined && integrationOf[doc] !== integration) continue;
        if (accepts) {
          if (verdicts[doc] === 0) {
            verdicts[doc] = accepts(doc) ? 1 : 2;
            scratch.decided.push(doc);
          }
          if (verdicts[doc] === 2) continue;
        }
        read++;
        const value = weight * postingScores[p]!;
        if (best[doc] === 0) seen[seenCount++] = doc;
        if (value > best[doc]!) best[doc] = value;
      }
    }
    for (let i = 0; i < seenCount; i++) {
      const doc = seen[i]!;
      if (matches[doc] === 0) scratch.touched[touched++] = doc;
      score[doc] += best[doc]!;
      matches[doc]! += 1;
      best[doc] = 0;
    }
  }
  scratch.touchedCount = touched;
  const n = concepts.length;
  const found = new Array<number>(touched);
  for (let i = 0; i < touched; i++) {
    const doc = scratch.touched[i]!;
    score[doc] = (score[doc]! * matches[doc]!) / n;
    found[i] = doc;
  }
  return found;
}

/** The `count` best of `docs` by `score`, best first (all of them, sorted, when count is Infinity). */
export function bestByScore(index: SearchIndex, docs: readonly number[], score: Float64Array, count: number): number[] {
  const order = (a: number, b: number) => score[b]! - score[a]! || tieBreak(index, a, b);
  if (docs.length <= count) return [...docs].sort(order);
  const values = new Float64Array(docs.length);
  for (let i = 0; i < docs.length; i++) values[i] = score[docs[i]!]!;
  const threshold = kthLargest(values, count);
  return docs
    .filter((doc) => score[doc]! >= threshold)
    .sort(order)
    .slice(0, count);
}

// --- private ---

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
