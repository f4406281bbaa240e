/**
 * Checks a call's arguments against the tool's input JSON Schema before anything is invoked.
 * @cfworker/json-schema because Ajv compiles validators with `eval`, which Workers forbid.
 * Validators are cached per isolate by address and schema identity.
 */
import { Validator } from "@cfworker/json-schema";
import type { Tool } from "./tool";
import { ToolError } from "./tool";

const CACHE_SIZE = 500;
const validators = new Map<string, { schema: object; validator: Validator }>();

/** Throws `invalid_arguments` listing each problem, or returns when the arguments fit. */
export function validateArguments(tool: Tool, args: unknown): void {
  const result = validatorFor(tool).validate(args);
  if (result.valid) return;
  const problems = result.errors
    .filter((error) => error.keyword !== "properties" && error.keyword !== "allOf" && error.keyword !== "$ref")
    .slice(0, 20)
    .map((error) => ({ path: error.instanceLocation.replace(/^#/, "") || "/", problem: error.error }));
  const summary = problems.map((problem) => `${problem.path}: ${problem.problem}`).join("; ");
  throw new ToolError("invalid_arguments", `Invalid arguments for ${tool.address}: ${summary || "does not match the input schema"}`, {
    details: problems,
  });
}

function validatorFor(tool: Tool): Validator {
  const cached = validators.get(tool.address);
  if (cached && cached.schema === tool.inputSchema) return cached.validator;
  const validator = new Validator(tool.inputSchema as never, "2020-12", false);
  if (validators.size >= CACHE_SIZE) validators.delete(validators.keys().next().value!);
  validators.set(tool.address, { schema: tool.inputSchema, validator });
  return validator;
}
