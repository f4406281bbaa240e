/**
 * Why a program failed, as the execution reports it: one pure decision over what the engine
 * saw (the error the program died with) and what the host knows (it interrupted the program,
 * the logs overflowed, the sandbox memory is at its cap). Tested by a table.
 */
import { isToolErrorCode, type ToolErrorCode } from "../errors";
import type { SandboxLimits } from "../config";

export type ProgramErrorCode = "syntax_error" | "runtime_error" | "timeout" | "memory_limit" | "output_limit" | "internal";

/** An error as read from inside the sandbox. */
export interface VmError {
  name: string;
  message: string;
  /** A tool error's code, when the program let one escape. */
  code?: string;
}

export interface FailureSignals {
  error: VmError;
  /** The host's interrupt handler stopped the program (time or budget). */
  interrupted: boolean;
  /** The logs passed their limit (the host then interrupts the program). */
  logOverflow: boolean;
  /** The sandboxes' shared wasm memory is at its cap. */
  memoryFull: boolean;
}

/** The execution error for a failed program. */
export function classifyFailure(signals: FailureSignals, limits: SandboxLimits): { code: ProgramErrorCode | ToolErrorCode; message: string } {
  const { error } = signals;
  if (signals.logOverflow) return { code: "output_limit", message: `The program's logs exceed ${limits.maxLogBytes} bytes` };
  if (signals.interrupted || (error.name === "InternalError" && error.message === "interrupted")) {
    return { code: "timeout", message: timeoutMessage(limits) };
  }
  // QuickJS reports exhaustion as "out of memory", or, when it cannot even allocate that
  // error, throws null; the latter counts only while the sandbox memory is at its cap.
  if (/out of memory/i.test(error.message) || (error.message === "Uncaught null" && signals.memoryFull)) {
    return { code: "memory_limit", message: `The program ran out of memory (limit ${limits.memoryBytes} bytes)` };
  }
  // A tool error left uncaught keeps its own code (docs/agents.md).
  if (isToolErrorCode(error.code)) return { code: error.code, message: error.name === "ToolError" ? error.message : `${error.name}: ${error.message}` };
  return { code: "runtime_error", message: `${error.name}: ${error.message}` };
}

/** What a program that ran past its time is told. */
export function timeoutMessage(limits: SandboxLimits): string {
  return `The program ran past its time limit (${limits.wallTimeMs} ms or ${limits.interruptBudget} interrupt checks)`;
}
