/**
 * The numeric settings: the sandbox's limits (docs/configuration.md), how long a paused call
 * waits for a human, how long history is kept, and how long /mcp waits for a person it sent
 * to a URL. Each has a safe default; a value that is
 * set must be a positive number, or the Worker refuses to run (fail closed: a typo must not
 * silently become the default). Pure.
 */

/** The sandbox's limits. Memory and stack bound QuickJS itself; the wall clock and the interrupt budget bound time. */
export interface SandboxLimits {
  memoryBytes: number;
  stackBytes: number;
  wallTimeMs: number;
  /**
   * How often the interpreter may check in (about every 10,000 operations) before it is
   * stopped. Deployed Workers do not advance Date.now() during pure CPU work, so a clock alone
   * would never stop `for (;;) {}`.
   */
  interruptBudget: number;
  maxLogBytes: number;
  maxResultBytes: number;
}

const MiB = 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryBytes: 32 * MiB,
  // Not 1 MiB: in workerd the host's native stack runs out first at about 450 KiB of QuickJS
  // stack, which turns a program's stack overflow into a lost module.
  stackBytes: 256 * 1024,
  wallTimeMs: 30_000,
  // Measured: a tight loop checks in ~9,000 times a second, so this is roughly 30 s of CPU.
  interruptBudget: 300_000,
  maxLogBytes: 1 * MiB,
  maxResultBytes: 4 * MiB,
};

export const DEFAULT_APPROVAL_TTL_MS = 24 * HOUR_MS;
/** How long /mcp keeps a call open while a person acts in the browser it sent them to. */
export const DEFAULT_ELICITATION_WAIT_MS = 10 * 60 * 1000;
export const DEFAULT_EXECUTION_RETENTION_MS = 90 * DAY_MS;

/** Each numeric setting: its variable, the unit one of it stands for, and where it goes. */
const NUMERIC_SETTINGS = [
  ["SANDBOX_MEMORY_MB", MiB, "memoryBytes"],
  ["SANDBOX_STACK_KB", 1024, "stackBytes"],
  ["SANDBOX_TIMEOUT_MS", 1, "wallTimeMs"],
  ["SANDBOX_INTERRUPT_BUDGET", 1, "interruptBudget"],
  ["SANDBOX_MAX_LOG_KB", 1024, "maxLogBytes"],
  ["SANDBOX_MAX_RESULT_KB", 1024, "maxResultBytes"],
] as const;

export interface NumericSettings {
  sandbox: SandboxLimits;
  approvalTtlMs: number;
  executionRetentionMs: number;
  /**
   * How long an MCP call that sent its client's user to a URL (an approval, a connection to
   * set up) waits for them before it answers as it would have without (docs/agents.md).
   */
  elicitationWaitMs: number;
}

/** Reads the numeric settings; `problems` gets one line for each that is set but not a positive number. */
export function parseNumericSettings(text: (name: string) => string, problems: string[]): NumericSettings {
  const read = (name: string, unit: number, fallback: number): number => {
    const value = text(name);
    if (value.trim() === "") return fallback;
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) {
      problems.push(`${name} (a positive number)`);
      return fallback;
    }
    return Math.max(1, Math.floor(number * unit));
  };
  const sandbox = { ...DEFAULT_SANDBOX_LIMITS };
  for (const [name, unit, key] of NUMERIC_SETTINGS) sandbox[key] = read(name, unit, DEFAULT_SANDBOX_LIMITS[key]);
  return {
    sandbox,
    approvalTtlMs: read("APPROVAL_TTL_HOURS", HOUR_MS, DEFAULT_APPROVAL_TTL_MS),
    executionRetentionMs: read("EXECUTION_RETENTION_DAYS", DAY_MS, DEFAULT_EXECUTION_RETENTION_MS),
    elicitationWaitMs: read("ELICITATION_WAIT_SECONDS", 1000, DEFAULT_ELICITATION_WAIT_MS),
  };
}
