/**
 * Spec text to a document: JSON, or YAML (which most hand-written specs use). It does not
 * check that the document is an OpenAPI spec; `importOpenApi` does that.
 */
import { parse as parseYaml } from "yaml";
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

function parseYamlText(text: string): unknown {
  try {
    // Aliases are capped (the library's default of 100) so a "billion laughs" document cannot
    // expand without bound; duplicate keys are tolerated because real specs have them.
    return parseYaml(text, { merge: true, uniqueKeys: false, maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "";
    throw new SpecError(`The spec is neither valid JSON nor valid YAML${reason ? `: ${reason}` : "."}`);
  }
}
