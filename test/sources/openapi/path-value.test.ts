/** path-value.ts: which path parameter values a URL parser would turn into another path. */
import { describe, expect, it } from "vitest";
import { checkPathValue } from "../../../worker/sources/openapi";

describe("checkPathValue", () => {
  it.each([
    ["..", false],
    [".", false],
    ["%2e%2e", false],
    [".%2E", false],
    ["%2E.", false],
    ["%2e", false],
    ["...", true],
    ["..a", true],
    ["a..", true],
    ["", true],
    ["a/..", true],
  ])("a plain value %j is allowed: %s", (value, allowed) => {
    expect(checkPathValue(value, false).ok).toBe(allowed);
  });

  it.each([
    ["spaces/AAAA/messages/BBB.CCC", { ok: true }],
    ["spaces/AAAA/messages/..", { ok: false, reason: "dot_segment" }],
    ["spaces/%2E%2e/x", { ok: false, reason: "dot_segment" }],
    ["./spaces", { ok: false, reason: "dot_segment" }],
    ["/spaces/AAAA", { ok: false, reason: "empty_segment" }],
    ["spaces/AAAA/", { ok: false, reason: "empty_segment" }],
    ["spaces//AAAA", { ok: false, reason: "empty_segment" }],
    ["", { ok: false, reason: "empty_segment" }],
  ])("a reserved value %j → %j", (value, expected) => {
    expect(checkPathValue(value, true)).toEqual(expected);
  });

  it("refuses exactly the segments the WHATWG URL parser collapses", () => {
    for (const segment of ["..", ".", "%2e%2e", ".%2E", "%2E.", "%2e", "...", "..a", "%2e%2e%2e", "%252e"]) {
      const collapsed = new URL(`https://api.example.com/v1/spaces/x/${segment}/y`).pathname !== `/v1/spaces/x/${segment}/y`;
      expect(checkPathValue(segment, false).ok, segment).toBe(!collapsed);
    }
  });
});
