/**
 * The effective policy of a tool: one pure decision over every layer that applies to a call.
 *
 * 1. The organization's rules: the first that matches decides, else the tool's default.
 * 2. The toolkit the execution runs in (if any): its rules.
 * 3. The owner's personal rules.
 *
 * Layers 2 and 3 are floors: a matching rule raises the action to at least its own and never
 * lowers it (allow < approve < block). That is what lets people and toolkit admins write
 * rules without being trusted with the organization's policy: the worst a floor can do is ask
 * for more approvals or block more. Among floors order does not matter (the strictest wins),
 * so they have no positions.
 *
 * A toolkit also decides what exists: a tool none of its `include` patterns matches is not
 * there at all (not listed, not described, not callable), which is stronger than `block`.
 * This module does no I/O; store.ts and personal-store.ts load what it decides over.
 */
import { decidePolicy, patternMatches, type PolicyAction, type PolicyDecision, type PolicyRule } from "./match";

/** What a floor may ask for: only tightening actions exist. */
export type FloorAction = "approve" | "block";

export const FLOOR_ACTIONS: readonly FloorAction[] = ["approve", "block"];

/** A rule that can only tighten: a toolkit's or a person's. */
export interface PolicyFloor {
  /** `tk:<slug>:<n>` for a toolkit's rule, the rule's id for a personal one. */
  id: string;
  pattern: string;
  action: FloorAction;
}

/** A toolkit as the policy sees it: what exists there and its floors. */
export interface ToolkitPolicy {
  slug: string;
  include: readonly string[];
  policies: readonly { pattern: string; action: FloorAction }[];
}

/** Everything that decides the policy for one caller (or one execution's owner). */
export interface PolicyScope {
  /** The organization's ordered rules. */
  rules: readonly PolicyRule[];
  /** Null: every tool exists. Else only the tools one of these patterns matches. */
  include: readonly string[] | null;
  /** The toolkit's floors, then the owner's. */
  floors: readonly PolicyFloor[];
}

const STRICTNESS: Record<PolicyAction, number> = { allow: 0, approve: 1, block: 2 };

/** The scope for the organization's rules, a toolkit (or none) and the owner's personal rules. */
export function policyScope(rules: readonly PolicyRule[], toolkit: ToolkitPolicy | null, personal: readonly PolicyFloor[]): PolicyScope {
  const toolkitFloors = (toolkit?.policies ?? []).map((rule, index) => ({ id: `tk:${toolkit!.slug}:${index}`, pattern: rule.pattern, action: rule.action }));
  return { rules, include: toolkit ? toolkit.include : null, floors: [...toolkitFloors, ...personal] };
}

/** True when the tool exists in the scope (always, outside a toolkit). */
export function inScope(address: string, scope: PolicyScope): boolean {
  return scope.include === null || scope.include.some((pattern) => patternMatches(pattern, address));
}

/** The strictest of the organization's decision and every matching floor. */
export function effectivePolicy(address: string, scope: PolicyScope, defaultAction: PolicyAction): PolicyDecision {
  let decision = decidePolicy(address, scope.rules, defaultAction);
  for (const floor of scope.floors) {
    if (STRICTNESS[floor.action] > STRICTNESS[decision.action] && patternMatches(floor.pattern, address)) decision = { action: floor.action, ruleId: floor.id };
  }
  return decision;
}
