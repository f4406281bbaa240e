/**
 * The QuickJS sandbox: one module per isolate, a fresh runtime per program, the limits, and
 * the bridge programs reach the host through. It knows nothing of tools, policies or storage.
 */
export { runProgram, SUSPEND, type HostBridge, type HostCall, type HostCallKind, type HostReply, type LogEntry, type ProgramOutcome } from "./run-program";
export { classifyFailure, type ProgramErrorCode } from "./classify-failure";
export { acquireSandboxSlot, withoutSandboxes } from "./slots";
