/**
 * Answering a query: parse it (query.ts), find and score candidates with BM25F (stage 1,
 * candidates.ts), re-order the best by how their name and summary fit (stage 2, fit.ts),
 * filter and page. Pure and synchronous; the index is never changed.
 * No FTS5: `wrangler d1 export` refuses databases with virtual tables, and backups matter more.
 */
import { acquireScratch, bestByScore, findCandidates, releaseScratch } from "./candidates";
import { RERANKED, rerank } from "./fit";
import { parseQuery } from "./query";
import type { SearchHit, SearchIndex } from "./search-index";

export interface SearchOptions {
  /** Only tools of this integration. */
  integration?: string;
  /** Only tools this accepts (e.g. not blocked by policy); it is asked about matching tools only, once each. */
  include?: (hit: SearchHit) => boolean;
  /** Hits to skip, default 0. */
  offset?: number;
  /** Hits to return, default all. */
  limit?: number;
}

export interface SearchResult {
  /** Best first; in address order when the query has no searchable word (a listing). */
  hits: SearchHit[];
  /** The tools found (accepted ones only), not just this page: every tool for a listing. */
  total: number;
}

/** Tools for `query`, best first, filtered and paged by `options`. */
export function search(index: SearchIndex, query: string, options: SearchOptions = {}): SearchResult {
  const offset = Math.max(0, options.offset ?? 0);
  const end = options.limit === undefined ? Infinity : offset + Math.max(0, options.limit);
  const { include } = options;
  const parsed = parseQuery(index, query);
  const scope = options.integration ?? parsed.integration;
  const integration = scope === undefined ? undefined : index.integrations.indexOf(scope);
  if (integration === -1) return { hits: [], total: 0 };
  const accepts = include === undefined ? undefined : (doc: number) => include(index.hits[doc]!);
  if (!parsed.searchable) {
    const listed = index.byAddress.filter((doc) => (integration === undefined || index.integrationOf[doc] === integration) && (accepts === undefined || accepts(doc)));
    return { hits: [...listed.subarray(offset, Math.min(end, listed.length))].map((doc) => index.hits[doc]!), total: listed.length };
  }
  if (parsed.concepts.length === 0) return { hits: [], total: 0 };
  const scratch = acquireScratch(index);
  try {
    const candidates = findCandidates(index, scratch, parsed.concepts, { integration, accepts });
    const best = bestByScore(index, candidates, scratch.score, Math.max(RERANKED, end));
    const ranked = [...rerank(index, parsed, best.slice(0, RERANKED), scratch.score), ...best.slice(RERANKED)];
    return { hits: ranked.slice(offset, end).map((doc) => index.hits[doc]!), total: candidates.length };
  } finally {
    releaseScratch(scratch);
  }
}
