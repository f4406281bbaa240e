export { decidePolicy, patternMatches, patternProblem, PATTERN_SCHEMA, POLICY_ACTIONS, type PolicyAction, type PolicyDecision, type PolicyRule } from "./match";
export { loadPolicies, listPolicies, createPolicy, updatePolicy, deletePolicy, type Policy } from "./store";
