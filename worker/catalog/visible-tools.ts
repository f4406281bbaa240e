/**
 * The tools a caller may see, each with its effective policy: the one listing behind
 * `GET /api/tools`, `tools.search` in the sandbox and `executor.tools.list`. Blocked tools
 * are invisible to programs; admins still see them in the API, to unblock them.
 */
import type { Database } from "../db";
import { decidePolicy, loadPolicies, patternMatches, type PolicyDecision } from "../policies";
import { rankEntries } from "./search";
import { catalogIndex, type IndexEntry } from "./store";

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
  entry: IndexEntry;
  policy: PolicyDecision;
}

/** A page of the tools visible to the query, best match first, with the total. */
export async function visibleTools(
  db: Database,
  revisions: { catalog: number; policies: number },
  query: VisibleToolsQuery,
): Promise<{ items: VisibleTool[]; total: number }> {
  const [entries, rules] = await Promise.all([catalogIndex(db, revisions.catalog), loadPolicies(db, revisions.policies)]);
  const candidates = entries.filter(
    (entry) => (query.integration === undefined || entry.integration === query.integration) && (query.pattern === undefined || patternMatches(query.pattern, entry.address)),
  );
  const visible = rankEntries(candidates, query.query ?? "")
    .map((entry) => ({ entry, policy: decidePolicy(entry.address, rules, entry.defaultPolicy) }))
    .filter(({ policy }) => query.includeBlocked || policy.action !== "block");
  return { items: visible.slice(query.offset, query.offset + query.limit), total: visible.length };
}
