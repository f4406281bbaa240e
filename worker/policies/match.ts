/**
 * Policy matching: pure functions over tool addresses and ordered rules.
 * `*` matches exactly one segment; a trailing `*` matches one or more remaining segments
 * (`github.*` matches `github.issues.create`, not `github`). The first matching rule wins;
 * with none, the tool's default applies.
 */

export type PolicyAction = "allow" | "approve" | "block";

export interface PolicyRule {
  id: string;
  pattern: string;
  action: PolicyAction;
}

export interface PolicyDecision {
  action: PolicyAction;
  /** The rule that decided, or null when the tool's default applied. */
  ruleId: string | null;
}

export const POLICY_ACTIONS: readonly PolicyAction[] = ["allow", "approve", "block"];
const SEGMENT = /^(\*|[A-Za-z0-9_-]+)$/;

/** Null when the pattern is well formed, else why not. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0 || pattern.length > 200) return "must be 1 to 200 characters";
  const segments = pattern.split(".");
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    return "segments are names ([A-Za-z0-9_-]) or *, separated by dots";
  }
  return null;
}

/** True when `pattern` matches `address`. */
export function patternMatches(pattern: string, address: string): boolean {
  const wanted = pattern.split(".");
  const actual = address.split(".");
  for (let i = 0; i < wanted.length; i += 1) {
    const segment = wanted[i]!;
    const isLast = i === wanted.length - 1;
    if (segment === "*" && isLast) return actual.length > i;
    if (i >= actual.length) return false;
    if (segment !== "*" && segment !== actual[i]) return false;
  }
  return wanted.length === actual.length;
}

/** The first matching rule's action, else the default. */
export function decidePolicy(address: string, rules: readonly PolicyRule[], defaultAction: PolicyAction): PolicyDecision {
  for (const rule of rules) {
    if (patternMatches(rule.pattern, address)) return { action: rule.action, ruleId: rule.id };
  }
  return { action: defaultAction, ruleId: null };
}

/** A policy pattern as a JSON Schema, for the API and the built-in tools that take one. */
export const PATTERN_SCHEMA = {
  type: "string",
  minLength: 1,
  maxLength: 200,
  pattern: "^(\\*|[A-Za-z0-9_-]+)(\\.(\\*|[A-Za-z0-9_-]+))*$",
  description: "Segments are names ([A-Za-z0-9_-]) or *, separated by dots; a trailing * matches the rest",
} as const;
