/**
 * Discovery schemas (JSON Schema draft 3, Google flavour) rewritten into the OpenAPI-style
 * schema objects that the OpenAPI source's converter (openapi/json-schema.ts) turns into
 * self-contained JSON Schema 2020-12. Only the differences are handled here:
 * - `$ref: "Message"` names a schema; it becomes the pointer `#/schemas/Message`;
 * - `required: true` on a property becomes the parent's `required` list;
 * - `type: "any"` becomes no type (anything);
 * - 64-bit integers are strings (`type: string, format: int64`); they accept a JSON integer
 *   too, as Google's JSON parser does, so an agent may pass either;
 * - `minimum` / `maximum` and `default` are strings; they become numbers and booleans.
 * Everything else the converter keeps or drops by its own rules (`id`, `annotations`,
 * `enumDescriptions`, `location`, `repeated` are dropped). It does not convert parameters
 * (input-schema.ts wraps repeated ones in arrays) and does not resolve refs.
 */
import { isObject, type JsonObject } from "../openapi/json-value";
import { formatPointer } from "../openapi/refs";

/** Where the rewritten schemas live in the root handed to the converter. */
export const SCHEMAS_AT = ["schemas"];

/** Nesting beyond this becomes `{}`: real schemas are far shallower, circular YAML is not. */
const MAX_DEPTH = 64;
/**
 * Schema nodes one document may make us visit. Real documents have tens of thousands at most;
 * YAML aliases sharing subtrees could otherwise multiply the walk without bound.
 */
const MAX_NODES = 1_000_000;
/** Discovery's formats for integers carried as strings. */
const STRING_INTEGER_FORMATS = new Set(["int64", "uint64"]);
const PASSED_KEYWORDS = new Set(["enum", "format", "pattern", "description", "readOnly", "deprecated"]);

/** The document's named schemas rewritten, by name; `{}` when there are none. */
export function rewriteSchemas(schemas: unknown): JsonObject {
  if (!isObject(schemas)) return {};
  const walk: Walk = { names: new Set(Object.keys(schemas)), ancestors: new Set(), budget: MAX_NODES };
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, rewriteNode(schema, walk)]));
}

/** One schema (a parameter, a `request` or `response` ref) rewritten; `names` are the schemas refs may name. */
export function rewriteSchema(schema: unknown, names: ReadonlySet<string>): JsonObject {
  return rewriteNode(schema, { names, ancestors: new Set(), budget: MAX_NODES });
}

/** The pointer for the named schema `name`, as the converter resolves it. */
export function schemaPointer(name: string): string {
  return `#${formatPointer([...SCHEMAS_AT, name])}`;
}

interface Walk {
  names: ReadonlySet<string>;
  /** The objects from the root to here: meeting one again means the document is circular. */
  ancestors: Set<object>;
  budget: number;
}

function rewriteNode(node: unknown, walk: Walk): JsonObject {
  const { names, ancestors } = walk;
  if (!isObject(node) || ancestors.has(node) || ancestors.size >= MAX_DEPTH || walk.budget <= 0) return {};
  walk.budget--;
  ancestors.add(node);
  try {
    const out: JsonObject = {};
    const type = node.type;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref") {
        // A ref to a schema the document does not have stays "anything" rather than dangling.
        if (typeof value === "string" && names.has(value)) out.$ref = schemaPointer(value);
      } else if (key === "type") {
        if (value === "string" && typeof node.format === "string" && STRING_INTEGER_FORMATS.has(node.format)) out.type = ["string", "integer"];
        else if (typeof value === "string" && value !== "any") out.type = value;
      } else if (key === "properties") {
        if (isObject(value)) rewriteProperties(value, walk, out);
      } else if (key === "items" || key === "additionalProperties") {
        out[key] = typeof value === "boolean" ? value : rewriteNode(value, walk);
      } else if (key === "required") {
        // Draft-3's boolean is read by the parent; a draft-4 list is kept as it is.
        if (Array.isArray(value)) out.required = [...new Set([...((out.required as string[]) ?? []), ...value.filter((item) => typeof item === "string")])];
      } else if (key === "minimum" || key === "maximum") {
        const number = typeof value === "string" ? Number(value) : value;
        if (typeof number === "number" && Number.isFinite(number)) out[key] = number;
      } else if (key === "default") {
        out.default = typedDefault(value, type);
      } else if (PASSED_KEYWORDS.has(key)) {
        out[key] = value;
      }
    }
    return out;
  } finally {
    ancestors.delete(node);
  }
}

function rewriteProperties(properties: JsonObject, walk: Walk, out: JsonObject): void {
  const rewritten: JsonObject = {};
  const required: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    rewritten[name] = rewriteNode(property, walk);
    if (isObject(property) && property.required === true) required.push(name);
  }
  out.properties = rewritten;
  if (required.length > 0) out.required = [...new Set([...((out.required as string[]) ?? []), ...required])];
}

/** Discovery writes every default as a string: `"false"`, `"100"`. */
function typedDefault(value: unknown, type: unknown): unknown {
  if (typeof value !== "string") return value;
  if (type === "boolean" && (value === "true" || value === "false")) return value === "true";
  if ((type === "integer" || type === "number") && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return value;
}
