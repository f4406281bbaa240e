/**
 * Policies: the organization's ordered rules, each person's own rules, and the one decision
 * over them and a toolkit's (effective.ts). docs/agents.md, Policies.
 */
export { decidePolicy, patternMatches, patternProblem, PATTERN_SCHEMA, POLICY_ACTIONS, type PolicyAction, type PolicyDecision, type PolicyRule } from "./match";
export { effectivePolicy, inScope, policyScope, FLOOR_ACTIONS, type FloorAction, type PolicyFloor, type PolicyScope, type ToolkitPolicy } from "./effective";
export { loadPolicies, listPolicies, createPolicy, updatePolicy, deletePolicy, type Policy } from "./store";
export { listPersonalRules, createPersonalRule, deletePersonalRule, MAX_PERSONAL_RULES, type PersonalRule } from "./personal-store";
export { loadPolicyScope } from "./scope";
