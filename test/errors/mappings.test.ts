/** The one error type at its two edges: HTTP answers and failed tool calls (pure, tables). */
import { describe, expect, it } from "vitest";
import { API_ERROR_STATUS, ExecutorError, httpError, TOOL_ERROR_CODES, toolFailure, type ErrorCode } from "../../worker/errors";

const ALL_CODES = [...(Object.keys(API_ERROR_STATUS) as ErrorCode[]), ...TOOL_ERROR_CODES];

describe("httpError", () => {
  it.each(Object.entries(API_ERROR_STATUS))("API code %s answers as itself with status %i", (code, status) => {
    const answer = httpError(new ExecutorError(code as ErrorCode, "why", { details: [{ field: "x", problem: "y" }] }));
    expect(answer).toMatchObject({ status, body: { error: { code, message: "why", details: [{ field: "x", problem: "y" }] } } });
  });

  it.each([
    ["tool_not_found", 404, "not_found"],
    ["invalid_arguments", 400, "invalid_request"],
    ["blocked", 403, "forbidden"],
    ["declined", 403, "forbidden"],
    ["no_connection", 400, "invalid_request"],
    ["connection_rejected", 400, "invalid_request"],
    ["oauth_reauth_required", 400, "invalid_request"],
    ["upstream_error", 502, "upstream_unreachable"],
    ["upstream_timeout", 502, "upstream_unreachable"],
    ["interrupted", 500, "internal"],
    ["approval_stale", 409, "conflict"],
  ])("tool code %s answers %i %s", (code, status, apiCode) => {
    expect(httpError(new ExecutorError(code as ErrorCode, "m"))).toMatchObject({ status, body: { error: { code: apiCode, message: "m" } } });
  });

  it("keeps the headers an error carries (a 401's challenge)", () => {
    expect(httpError(new ExecutorError("unauthorized", "no", { headers: { "www-authenticate": "Bearer" } })).headers).toEqual({ "www-authenticate": "Bearer" });
  });

  it("answers anything else as internal with an id, never its text", () => {
    const answer = httpError(new Error("D1_ERROR: no such table: secrets"));
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe("internal");
    expect(answer.body.error.message).toMatch(/^Internal error \[[0-9a-f]{8}\]$/);
    expect(JSON.stringify(answer)).not.toContain("D1_ERROR");
  });
});

describe("toolFailure", () => {
  it.each(TOOL_ERROR_CODES)("tool code %s reaches the program as itself", (code) => {
    expect(toolFailure(new ExecutorError(code, "m"))).toEqual({ code, message: "m" });
  });

  it.each([
    ["invalid_request", "invalid_arguments", 400],
    ["forbidden", "upstream_error", 403],
    ["not_found", "upstream_error", 404],
    ["conflict", "upstream_error", 409],
  ])("API code %s becomes %s with the API's status", (code, toolCode, status) => {
    expect(toolFailure(new ExecutorError(code as ErrorCode, "m"))).toEqual({ code: toolCode, message: "m", status });
  });

  it("carries the upstream's status and details", () => {
    expect(toolFailure(new ExecutorError("upstream_error", "m", { upstreamStatus: 418, details: "body" }))).toEqual({ code: "upstream_error", message: "m", status: 418, details: "body" });
  });

  it("hides an unexpected error's text behind an id", () => {
    const failure = toolFailure(new TypeError("x is undefined at secret.ts:3"));
    expect(failure.code).toBe("upstream_error");
    expect(failure.message).toMatch(/^Internal error \[[0-9a-f]{8}\]$/);
  });

  it("maps every code (the mappings are exhaustive)", () => {
    for (const code of ALL_CODES) {
      expect(toolFailure(new ExecutorError(code, "m")).code).toMatch(/^[a-z_]+$/);
      expect(httpError(new ExecutorError(code, "m")).status).toBeGreaterThanOrEqual(400);
    }
  });
});
