/**
 * The operations of an OpenAPI 3.x document, in a fixed order (paths as written, methods in
 * the spec's field order) so that names derived from that order are stable across imports.
 * Path-level and operation-level parameters are merged and their refs resolved. It does not
 * interpret schemas, bodies or responses.
 */
import { isObject, readField, type JsonObject } from "./json-value";
import { resolveObject } from "./refs";

/** The HTTP methods a path item may hold, in the order the OpenAPI spec lists them. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const PARAMETER_LOCATIONS = new Set(["path", "query", "header", "cookie"]);

export interface SpecParameter extends JsonObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
}

export interface SpecOperation {
  /** Lower-case, one of `HTTP_METHODS`. */
  method: string;
  path: string;
  operation: JsonObject;
  /**
   * Resolved, merged, in declaration order; malformed ones are left out. A `{placeholder}` in
   * the path that the spec forgot to declare is added as a required string, so the tool can
   * still be called.
   */
  parameters: SpecParameter[];
}

/** Every operation under `paths`; an empty list when there are none. */
export function listOperations(document: JsonObject): SpecOperation[] {
  const paths = readField(document, "paths");
  if (!isObject(paths)) return [];
  const operations: SpecOperation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveObject(document, rawItem);
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operation = readField(item, method);
      if (!isObject(operation)) continue;
      const parameters = mergeParameters(document, item.parameters, operation.parameters);
      operations.push({ method, path, operation, parameters: [...parameters, ...undeclaredPathParameters(path, parameters)] });
    }
  }
  return operations;
}

/** The operation's parameters replace the path item's with the same name and location (header names ignore case). */
function mergeParameters(document: JsonObject, pathLevel: unknown, operationLevel: unknown): SpecParameter[] {
  const merged = new Map<string, SpecParameter>();
  for (const list of [pathLevel, operationLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const parameter = resolveObject(document, raw);
      if (!parameter || typeof parameter.name !== "string" || parameter.name === "") continue;
      if (typeof parameter.in !== "string" || !PARAMETER_LOCATIONS.has(parameter.in)) continue;
      const key = `${parameter.in}:${parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name}`;
      merged.set(key, parameter as SpecParameter);
    }
  }
  return [...merged.values()];
}

function undeclaredPathParameters(path: string, declared: SpecParameter[]): SpecParameter[] {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  return [...new Set(names)]
    .filter((name) => !declared.some((parameter) => parameter.in === "path" && parameter.name === name))
    .map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
}
