/**
 * Executions: running programs (execute, pause for a human, resume and replay), the host
 * calls they make, the built-in `executor` tools, and the history. docs/agents.md.
 */
export { executeCode, resumeExecution, MAX_RESUME_WAIT_MS, type RunContext } from "./engine";
export { decide, cancel } from "./decisions";
export { executionView, historyRecord, type ExecutionView } from "./views";
export { listExecutions, loadExecution, loadJournal, type ExecutionFilter } from "./store";
export { sweepExecutions, type SweepReport } from "./sweep";
export { exportExecutions, EXPORT_PAGE_SIZE, type ExportRange } from "./export";
