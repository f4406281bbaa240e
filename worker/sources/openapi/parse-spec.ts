/**
 * Spec text to a document: JSON, or YAML (which most hand-written specs use) with js-yaml,
 * which parses a 3 MB slice in a fraction of the heap other parsers take. It does not check
 * that the document is an OpenAPI spec; `importOpenApi` does that.
 */
import { CORE_SCHEMA, load, Type } from "js-yaml";
import { isObject } from "./json-value";
import { SpecError } from "./spec-error";

/** JSON or YAML text → object. Throws SpecError. */
export function parseSpecText(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed === "") throw new SpecError("The spec is empty.");
  let document: unknown;
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      document = JSON.parse(trimmed);
    } catch {
      document = parseYamlText(trimmed);
    }
  } else {
    document = parseYamlText(trimmed);
  }
  if (!isObject(document)) throw new SpecError("The spec is not a JSON or YAML object, so it cannot be an OpenAPI document.");
  return document;
}

/**
 * YAML's core schema (dates stay text, as JSON has them) with merge keys (`<<: *defaults`),
 * which hand-written specs use.
 */
const YAML_SCHEMA = CORE_SCHEMA.extend({ implicit: [new Type("tag:yaml.org,2002:merge", { kind: "scalar", resolve: (data: unknown) => data === "<<" })] });

function parseYamlText(text: string): unknown {
  let document: unknown;
  try {
    // `json`: a duplicate key overrides the first, as in JSON.parse; real specs have them.
    document = load(text, { schema: YAML_SCHEMA, json: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "";
    throw new SpecError(`The spec is neither valid JSON nor valid YAML${reason ? `: ${reason}` : "."}`);
  }
  // An alias is the same object in a second place, not a copy, so nested aliases ("billion
  // laughs") cost nothing to parse but make every later walk over the document exponential.
  // Without aliases a document has fewer nodes than its text has characters.
  if (!hasAtMostNodes(document, text.length)) {
    throw new SpecError("The spec's YAML aliases expand to more values than the text has characters, so it is refused.");
  }
  return document;
}

/**
 * Whether walking `value` meets at most `limit` values, an object reached twice counted twice.
 * A walk does not re-enter an object it is inside: a cycle (`schema: &s {properties: {self: *s}}`)
 * is a recursive schema, which the converter keeps as a reference.
 */
function hasAtMostNodes(value: unknown, limit: number): boolean {
  const inside = new Set<object>();
  const pending: { value: unknown; leaving?: true }[] = [{ value }];
  let count = 0;
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== "object" || next.value === null) {
      if (++count > limit) return false;
      continue;
    }
    if (next.leaving) {
      inside.delete(next.value);
      continue;
    }
    if (inside.has(next.value)) continue;
    if (++count > limit) return false;
    inside.add(next.value);
    pending.push({ value: next.value, leaving: true });
    for (const child of Object.values(next.value)) pending.push({ value: child });
  }
  return true;
}
