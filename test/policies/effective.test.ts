/**
 * The layered decision (policies/effective.ts): the organization's rules, then a toolkit's,
 * then the owner's personal rules, each of the later two only able to tighten. Pure: tables.
 */
import { describe, expect, it } from "vitest";
import { effectivePolicy, inScope, policyScope, type PolicyAction, type PolicyFloor, type PolicyRule, type ToolkitPolicy } from "../../worker/policies";

const GLOBAL: PolicyRule[] = [
  { id: "g-allow-create", pattern: "github.issues.create", action: "allow" },
  { id: "g-block-delete", pattern: "github.repos.delete", action: "block" },
];
const TOOLKIT: ToolkitPolicy = {
  slug: "triage",
  include: ["github.issues.*", "github.repos.delete", "linear.*"],
  policies: [
    { pattern: "github.issues.create", action: "approve" },
    { pattern: "linear.*", action: "block" },
  ],
};
const PERSONAL: PolicyFloor[] = [
  { id: "p-approve-github", pattern: "github.*", action: "approve" },
  { id: "p-block-close", pattern: "github.issues.close", action: "block" },
];

describe("effectivePolicy: each later layer only tightens", () => {
  it.each<[string, string, PolicyAction, ToolkitPolicy | null, PolicyFloor[], PolicyAction, string | null]>([
    // address, why, default, toolkit, personal, expected, deciding rule
    ["github.issues.list", "the default alone", "allow", null, [], "allow", null],
    ["github.issues.create", "a global allow stands without floors", "approve", null, [], "allow", "g-allow-create"],
    ["github.issues.create", "the toolkit's approve raises a global allow", "approve", TOOLKIT, [], "approve", "tk:triage:0"],
    ["github.issues.create", "a personal approve raises a global allow", "approve", null, PERSONAL, "approve", "p-approve-github"],
    ["github.issues.close", "the strictest floor wins, whatever its order", "approve", TOOLKIT, PERSONAL, "block", "p-block-close"],
    ["github.repos.delete", "a global block stays a block (floors never loosen)", "approve", TOOLKIT, PERSONAL, "block", "g-block-delete"],
    ["github.issues.list", "a personal approve raises a default allow", "allow", null, PERSONAL, "approve", "p-approve-github"],
    ["linear.issues.create", "the toolkit blocks what the organization would ask for", "approve", TOOLKIT, [], "block", "tk:triage:1"],
    ["slack.chat.post", "floors that do not match change nothing", "allow", TOOLKIT, PERSONAL, "allow", null],
    ["github.issues.create", "an equal floor keeps the rule that decided first", "approve", null, [{ id: "p-first", pattern: "github.issues.create", action: "approve" }, ...PERSONAL], "approve", "p-first"],
  ])("%s: %s", (address, _why, fallback, toolkit, personal, action, ruleId) => {
    expect(effectivePolicy(address, policyScope(GLOBAL, toolkit, personal), fallback)).toEqual({ action, ruleId });
  });
});

describe("inScope: a toolkit's include decides what exists", () => {
  it.each([
    ["github.issues.create", TOOLKIT, true],
    ["github.repos.delete", TOOLKIT, true],
    ["github.repos.get", TOOLKIT, false],
    ["executor.policies.create", TOOLKIT, false],
    ["linear.teams.list", TOOLKIT, true],
    ["github.repos.get", null, true],
    ["anything.at.all", { slug: "gone", include: [], policies: [] }, false],
  ] as const)("%s in %o → %s", (address, toolkit, expected) => {
    expect(inScope(address, policyScope(GLOBAL, toolkit, []))).toBe(expected);
  });
});
