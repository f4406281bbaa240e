/**
 * Checking a value against a JSON Schema (2020-12), for tool arguments and request bodies
 * alike: one validator, @cfworker/json-schema, because Ajv compiles validators with `eval`,
 * which Workers forbid. Compiled validators are cached per isolate by schema identity. It
 * reports the problems; callers decide which error they make of them.
 */
import { Validator, type OutputUnit } from "@cfworker/json-schema";

/** One problem, where it is (a JSON pointer into the value, `/` for the whole) and what is wrong. */
export interface SchemaProblem {
  path: string;
  problem: string;
  /** For a missing required property: its name (the problem sits on the object that lacks it). */
  missing?: string;
}

const MAX_PROBLEMS = 20;
/** Keywords whose errors only say "a part below failed"; the part's own error says what. */
const WRAPPERS = new Set(["properties", "allOf", "if", "then", "$ref", "items", "prefixItems", "additionalProperties", "unevaluatedProperties", "dependentSchemas"]);

const validators = new WeakMap<object, Validator>();

/** The problems of `value` against `schema`; empty when it fits. */
export function checkJsonSchema(schema: object, value: unknown): SchemaProblem[] {
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(schema as never, "2020-12", false);
    validators.set(schema, validator);
  }
  const result = validator.validate(value);
  if (result.valid) return [];
  const problems = result.errors.filter((error) => !WRAPPERS.has(error.keyword)).map(problemOf);
  return (problems.length > 0 ? problems : [{ path: "/", problem: "does not match the schema" }]).slice(0, MAX_PROBLEMS);
}

function problemOf(error: OutputUnit): SchemaProblem {
  const path = error.instanceLocation.replace(/^#/, "") || "/";
  if (error.keyword === "false") return { path, problem: "is not allowed here" };
  const problem = { path, problem: error.error.replace(/^Instance /, "") };
  // The library names a missing property only in its message.
  const missing = error.keyword === "required" ? /required property "([^"]*)"/.exec(error.error)?.[1] : undefined;
  return missing === undefined ? problem : { ...problem, missing };
}
