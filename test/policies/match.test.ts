/** Policy matching and precedence: pure, so tables. */
import { describe, expect, it } from "vitest";
import { decidePolicy, patternMatches, patternProblem, type PolicyRule } from "../../worker/policies";

describe("patternMatches", () => {
  it.each([
    ["github.issues.create", "github.issues.create", true],
    ["github.issues.create", "github.issues.list", false],
    ["github.*", "github.issues.create", true],
    ["github.*", "github.repos", true],
    ["github.*", "github", false],
    ["github.*", "gitlab.issues.create", false],
    ["github.*.create", "github.issues.create", true],
    ["github.*.create", "github.issues.comments.create", false],
    ["*.issues.*", "github.issues.create", true],
    ["*.issues.*", "gitlab.issues.update.labels", true],
    ["*.delete", "github.delete", true],
    ["*.delete", "github.repos.delete", false],
    ["*", "anything.at.all", true],
    ["github.issues", "github.issues.create", false],
    ["github.issues.create.extra", "github.issues.create", false],
  ])("%s vs %s → %s", (pattern, address, expected) => {
    expect(patternMatches(pattern, address)).toBe(expected);
  });
});

describe("decidePolicy", () => {
  const rules: PolicyRule[] = [
    { id: "r1", pattern: "github.issues.create", action: "allow" },
    { id: "r2", pattern: "github.*", action: "block" },
    { id: "r3", pattern: "*.list", action: "approve" },
  ];

  it.each([
    ["github.issues.create", "approve", "allow", "r1"],
    ["github.issues.list", "allow", "block", "r2"],
    ["slack.list", "allow", "approve", "r3"],
    ["slack.messages.send", "approve", "approve", null],
    ["slack.messages.read", "allow", "allow", null],
  ] as const)("%s (default %s) → %s by %s", (address, fallback, action, ruleId) => {
    expect(decidePolicy(address, rules, fallback)).toEqual({ action, ruleId });
  });

  it("the first matching rule wins, not the most specific", () => {
    const ordered: PolicyRule[] = [
      { id: "broad", pattern: "github.*", action: "approve" },
      { id: "narrow", pattern: "github.issues.list", action: "allow" },
    ];
    expect(decidePolicy("github.issues.list", ordered, "allow")).toEqual({ action: "approve", ruleId: "broad" });
  });
});

describe("patternProblem", () => {
  it.each(["github.*", "*", "a.b.c", "git-hub_2.*.x"])("accepts %s", (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });
  it.each(["", "github..x", "github.is*", "github issues", "a.b.", "x".repeat(201)])("refuses %j", (pattern) => {
    expect(patternProblem(pattern)).not.toBeNull();
  });
});
