/**
 * The tools a caller may see, each with its effective policy: the one listing behind
 * `GET /api/tools`, `tools.search` in the sandbox and `executor.tools.list`. Blocked tools
 * are invisible to programs; admins still see them in the API, to unblock them. Ranking is
 * the catalog's search (catalog/search); an empty query lists by address.
 */
import type { Database } from "../db";
import { decidePolicy, loadPolicies, patternMatches, type PolicyDecision } from "../policies";
import { search, type SearchHit } from "./search";
import { catalogIndex } from "./store";
import type { DefaultPolicy } from "./tool";

export interface VisibleToolsQuery {
  /** Words to rank by; empty lists every tool by address. */
  query?: string;
  /** Only this integration's tools. */
  integration?: string;
  /** Only the tools a policy pattern matches (the console's "matches N tools"). */
  pattern?: string;
  /** Include tools a policy blocks (the API, for admins); programs never see them. */
  includeBlocked: boolean;
  offset: number;
  limit: number;
}

export interface VisibleTool {
  /** The tool as search knows it: address, integration, summary (its description's first sentence), hint (its required arguments). */
  hit: SearchHit;
  defaultPolicy: DefaultPolicy;
  policy: PolicyDecision;
}

/** A page of the tools visible to the query, best match first, with the total. */
export async function visibleTools(
  db: Database,
  revisions: { catalog: number; policies: number },
  query: VisibleToolsQuery,
): Promise<{ items: VisibleTool[]; total: number }> {
  const [catalog, rules] = await Promise.all([catalogIndex(db, revisions.catalog), loadPolicies(db, revisions.policies)]);
  const decisions = new Map<string, PolicyDecision>();
  const decisionFor = (address: string): PolicyDecision => {
    let decision = decisions.get(address);
    if (!decision) {
      decision = decidePolicy(address, rules, catalog.defaultPolicies.get(address) ?? "approve");
      decisions.set(address, decision);
    }
    return decision;
  };
  const { hits, total } = search(catalog.search, query.query ?? "", {
    integration: query.integration,
    include: (hit) => (query.pattern === undefined || patternMatches(query.pattern, hit.address)) && (query.includeBlocked || decisionFor(hit.address).action !== "block"),
    offset: query.offset,
    limit: query.limit,
  });
  return {
    items: hits.map((hit) => ({ hit, defaultPolicy: catalog.defaultPolicies.get(hit.address) ?? "approve", policy: decisionFor(hit.address) })),
    total,
  };
}
