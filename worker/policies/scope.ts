/**
 * Loads the policy scope of one caller (or one execution's owner): the organization's rules,
 * the toolkit's and the owner's personal rules, each from its per-isolate cache for the
 * current `policies` revision. The decision itself is effective.ts.
 */
import type { Database } from "../db";
import { policyScope, type PolicyScope, type ToolkitPolicy } from "./effective";
import { loadPersonalRules } from "./personal-store";
import { loadPolicies } from "./store";

/** The scope for `ownerId`'s calls, in `toolkit` (null: the whole catalogue). */
export async function loadPolicyScope(db: Database, revision: number, who: { ownerId: string; toolkit: ToolkitPolicy | null }): Promise<PolicyScope> {
  const [rules, personal] = await Promise.all([loadPolicies(db, revision), loadPersonalRules(db, revision, who.ownerId)]);
  return policyScope(rules, who.toolkit, personal);
}
