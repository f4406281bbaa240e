/**
 * The sandbox's limits: safe defaults (CONTRACT: Limits), each overridable by a var.
 * Memory and stack bound QuickJS itself; the wall clock and the interrupt budget bound time.
 * The budget exists because deployed Workers do not advance Date.now() during pure CPU
 * work, so a clock alone would never stop `for (;;) {}`.
 */
import type { Env } from "../env";

export interface SandboxLimits {
  memoryBytes: number;
  stackBytes: number;
  wallTimeMs: number;
  /** How often the interpreter may check in (about every 10,000 operations) before it is stopped. */
  interruptBudget: number;
  maxLogBytes: number;
  maxResultBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 32 * MiB,
  // Not the contract's 1 MiB: in workerd the host's native stack runs out first at about
  // 450 KiB of QuickJS stack, which turns a program's stack overflow into a lost module.
  stackBytes: 256 * 1024,
  wallTimeMs: 30_000,
  // Measured: a tight loop checks in ~9,000 times a second, so this is roughly 30 s of CPU.
  interruptBudget: 300_000,
  maxLogBytes: 1 * MiB,
  maxResultBytes: 4 * MiB,
};

/** Reads SANDBOX_* vars over the defaults; invalid or non-positive values are ignored. */
export function sandboxLimits(env: Env): SandboxLimits {
  return {
    memoryBytes: positive(env.SANDBOX_MEMORY_MB, MiB) ?? DEFAULT_LIMITS.memoryBytes,
    stackBytes: positive(env.SANDBOX_STACK_KB, 1024) ?? DEFAULT_LIMITS.stackBytes,
    wallTimeMs: positive(env.SANDBOX_TIMEOUT_MS, 1) ?? DEFAULT_LIMITS.wallTimeMs,
    interruptBudget: positive(env.SANDBOX_INTERRUPT_BUDGET, 1) ?? DEFAULT_LIMITS.interruptBudget,
    maxLogBytes: positive(env.SANDBOX_MAX_LOG_KB, 1024) ?? DEFAULT_LIMITS.maxLogBytes,
    maxResultBytes: positive(env.SANDBOX_MAX_RESULT_KB, 1024) ?? DEFAULT_LIMITS.maxResultBytes,
  };
}

function positive(value: string | undefined, unit: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? Math.floor(number * unit) : undefined;
}
