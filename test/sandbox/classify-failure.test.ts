/** Why a program failed, as the execution reports it (pure, one table). */
import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_LIMITS } from "../../worker/config";
import { classifyFailure, type FailureSignals } from "../../worker/sandbox/classify-failure";

const limits = DEFAULT_SANDBOX_LIMITS;
const signals = (error: FailureSignals["error"], extra: Partial<Omit<FailureSignals, "error">> = {}): FailureSignals => ({
  error,
  interrupted: false,
  logOverflow: false,
  memoryFull: false,
  ...extra,
});

describe("classifyFailure", () => {
  it.each([
    ["an uncaught TypeError", signals({ name: "TypeError", message: "x is not a function" }), "runtime_error", "TypeError: x is not a function"],
    ["a thrown string", signals({ name: "Error", message: "Uncaught boom" }), "runtime_error", "Error: Uncaught boom"],
    ["a tool error left uncaught", signals({ name: "ToolError", message: "github.issues.create is blocked by policy", code: "blocked" }), "blocked", "github.issues.create is blocked by policy"],
    ["an Error the program gave a tool code", signals({ name: "Error", message: "mine", code: "declined" }), "declined", "Error: mine"],
    ["an Error with a code that is not a tool code", signals({ name: "Error", message: "mine", code: "internal" }), "runtime_error", "Error: mine"],
    ["the host interrupting it", signals({ name: "InternalError", message: "interrupted" }, { interrupted: true }), "timeout", /time limit/],
    ["QuickJS's own interrupt error", signals({ name: "InternalError", message: "interrupted" }), "timeout", /time limit/],
    ["an interrupt whatever the error says", signals({ name: "TypeError", message: "late" }, { interrupted: true }), "timeout", /time limit/],
    ["logs past their limit", signals({ name: "InternalError", message: "interrupted" }, { interrupted: true, logOverflow: true }), "output_limit", /logs exceed 1048576 bytes/],
    ["out of memory", signals({ name: "InternalError", message: "out of memory" }), "memory_limit", /ran out of memory \(limit 33554432 bytes\)/],
    ["a null throw while the memory is at its cap", signals({ name: "Error", message: "Uncaught null" }, { memoryFull: true }), "memory_limit", /ran out of memory/],
    ["a null throw with memory to spare", signals({ name: "Error", message: "Uncaught null" }), "runtime_error", "Error: Uncaught null"],
  ])("%s", (_name, input, code, message) => {
    const failure = classifyFailure(input, limits);
    expect(failure.code).toBe(code);
    if (typeof message === "string") expect(failure.message).toBe(message);
    else expect(failure.message).toMatch(message);
  });
});
