export { runProgram, SUSPEND, type HostBridge, type HostCall, type HostCallKind, type HostReply, type LogEntry, type ProgramOutcome } from "./run-program";
export { sandboxLimits, DEFAULT_LIMITS, type SandboxLimits } from "./limits";
export { acquireSandboxSlot } from "./slots";
