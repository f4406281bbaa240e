/**
 * Checks a call's arguments against the tool's input JSON Schema before anything is invoked.
 */
import { ExecutorError } from "../errors";
import { checkJsonSchema } from "../json-schema";
import type { Tool } from "./tool";

/** Throws `invalid_arguments` listing each problem, or returns when the arguments fit. */
export function validateArguments(tool: Tool, args: unknown): void {
  const problems = checkJsonSchema(tool.inputSchema, args);
  if (problems.length === 0) return;
  const summary = problems.map((problem) => `${problem.path}: ${problem.problem}`).join("; ");
  throw new ExecutorError("invalid_arguments", `Invalid arguments for ${tool.address}: ${summary}`, {
    details: problems.map(({ path, problem }) => ({ path, problem })),
  });
}
