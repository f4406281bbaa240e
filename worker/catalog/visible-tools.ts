/**
 * The tools a caller may see, each with its effective policy: the one listing behind
 * `GET /api/tools`, `tools.search` in the sandbox and `executor.tools.list`. Blocked tools
 * are invisible to programs; admins still see them in the API, to unblock them. Ranking is
 * the catalog's search (catalog/search); an empty query lists by address. The policy is the
 * caller's whole scope (policies/effective.ts): in a toolkit, tools it does not include are
 * not listed at all, for admins neither.
 */
import type { Database } from "../db";
import { effectivePolicy, inScope, patternMatches, type PolicyDecision, type PolicyScope } from "../policies";
import { search, type SearchHit } from "./search";
import { catalogIndex, listIntegrationSummaries, type IntegrationSummary } from "./store";
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

/** A page of the tools visible to the query in `scope`, best match first, with the total. */
export async function visibleTools(
  db: Database,
  revisions: { catalog: number },
  query: VisibleToolsQuery,
  scope: PolicyScope,
): Promise<{ items: VisibleTool[]; total: number }> {
  const catalog = await catalogIndex(db, revisions.catalog);
  const decisions = new Map<string, PolicyDecision>();
  const decisionFor = (address: string): PolicyDecision => {
    let decision = decisions.get(address);
    if (!decision) {
      decision = effectivePolicy(address, scope, catalog.defaultPolicies.get(address) ?? "approve");
      decisions.set(address, decision);
    }
    return decision;
  };
  const { hits, total } = search(catalog.search, query.query ?? "", {
    integration: query.integration,
    include: (hit) =>
      inScope(hit.address, scope) &&
      (query.pattern === undefined || patternMatches(query.pattern, hit.address)) &&
      (query.includeBlocked || decisionFor(hit.address).action !== "block"),
    offset: query.offset,
    limit: query.limit,
  });
  return {
    items: hits.map((hit) => ({ hit, defaultPolicy: catalog.defaultPolicies.get(hit.address) ?? "approve", policy: decisionFor(hit.address) })),
    total,
  };
}

/**
 * The integrations a caller may see, with their tool counts: all of them outside a toolkit;
 * in one, only those it includes tools of, counting only those tools (`execute`'s
 * description and `executor.integrations.list` name nothing a toolkit hides).
 */
export async function visibleIntegrations(db: Database, revisions: { catalog: number }, scope: PolicyScope): Promise<IntegrationSummary[]> {
  const summaries = await listIntegrationSummaries(db, revisions.catalog);
  if (scope.include === null) return summaries;
  const catalog = await catalogIndex(db, revisions.catalog);
  const counts = new Map<string, number>();
  for (const address of catalog.defaultPolicies.keys()) {
    if (!inScope(address, scope)) continue;
    const integration = address.slice(0, address.indexOf("."));
    counts.set(integration, (counts.get(integration) ?? 0) + 1);
  }
  return summaries.filter((summary) => counts.has(summary.slug)).map((summary) => ({ ...summary, toolCount: counts.get(summary.slug)! }));
}
