/**
 * OpenAPI schema objects (Swagger 2.0, OpenAPI 3.0 and 3.1 dialects) to JSON Schema 2020-12
 * that stands alone. Every local `$ref` becomes `#/$defs/<name>`, and a tool's schema carries
 * the transitive closure of the defs it reaches. Refs stay refs, so a recursive schema is
 * only a ref back into `$defs` and never expands. Each referenced schema is converted once
 * per import and the result is shared by every tool that needs it: treat it as read-only.
 *
 * It keeps what validation and agents need and drops the rest: examples, XML hints,
 * discriminators, titles and vendor extensions go; long descriptions are shortened. It does
 * not fetch external refs (they become `{}`, "anything"). Specs are untrusted and YAML
 * aliases can make a document circular, so nesting and the work per schema are capped.
 */
import { isObject, type JsonObject } from "./json-value";
import { formatPointer, parseLocalRef, valueAt } from "./refs";
import { shortenText } from "./short-text";

/** A JSON Schema: an object, or `true` / `false`. */
export type JsonSchema = boolean | JsonObject;

/** Converts the schemas of one document; create one per import. */
export interface SchemaConverter {
  root: unknown;
  /** Where the document keeps its named schemas: `components/schemas` (3.x) or `definitions` (2.0). */
  schemasAt: string[];
  /** Pointer text → def name. */
  defNames: Map<string, string>;
  /** Def name → where it lives and, once converted, its schema and the defs it refers to. */
  defs: Map<string, { tokens: string[]; converted?: { schema: JsonSchema; refs: string[] } }>;
}

/** Descriptions inside schemas are cut to this many characters. */
export const SCHEMA_DESCRIPTION_MAX_CHARS = 200;
/** Nesting beyond this becomes `{}`: deeper real schemas do not exist, circular ones do. */
const MAX_SCHEMA_DEPTH = 64;
/** Schema nodes one conversion may visit; shared YAML aliases could otherwise multiply the work. */
const MAX_SCHEMA_NODES = 100_000;

const TYPE_NAMES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const SUBSCHEMA_KEYWORDS = new Set([
  "additionalProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
]);
const SUBSCHEMA_LIST_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SUBSCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "dependentSchemas"]);
const COUNT_KEYWORDS = new Set([
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minContains",
  "maxContains",
]);
const FLAG_KEYWORDS = new Set(["uniqueItems", "readOnly", "writeOnly", "deprecated"]);
const TEXT_KEYWORDS = new Set(["format", "contentMediaType", "contentEncoding"]);
/** Keywords whose subschemas decide whether null is allowed, so `nullable` must wrap them. */
const COMPOSITION_KEYWORDS = ["$ref", "allOf", "anyOf", "oneOf", "not", "if"];

/** A converter for `root`, whose named schemas live at `schemasAt`. Their def names are fixed up front, in document order. */
export function createSchemaConverter(root: unknown, schemasAt: string[]): SchemaConverter {
  const converter: SchemaConverter = { root, schemasAt, defNames: new Map(), defs: new Map() };
  const schemas = valueAt(root, schemasAt);
  if (isObject(schemas)) {
    for (const name of Object.keys(schemas)) registerDef(converter, [...schemasAt, name]);
  }
  return converter;
}

/**
 * Converts one schema (a parameter's, a body's, a response's). The names of the defs it
 * refers to are added to `refs`; pass them to `collectDefs` for the `$defs` to ship with it.
 * A missing or malformed schema becomes `{}`.
 */
export function convertSchema(converter: SchemaConverter, schema: unknown, refs: Set<string>): JsonSchema {
  if (schema === undefined) return {};
  return convertNode(converter, schema, { refs, ancestors: new Set(), budget: MAX_SCHEMA_NODES });
}

/** The `$defs` for `refs` and everything they refer to, transitively, each converted once per converter. */
export function collectDefs(converter: SchemaConverter, refs: Iterable<string>): Record<string, JsonSchema> {
  const queue = [...refs];
  const seen = new Set<string>();
  const entries: [string, JsonSchema][] = [];
  for (let index = 0; index < queue.length; index++) {
    const name = queue[index];
    if (seen.has(name)) continue;
    seen.add(name);
    const converted = convertDef(converter, name);
    if (!converted) continue;
    entries.push([name, converted.schema]);
    queue.push(...converted.refs);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** `schema` as a root object schema carrying `defs` (omitted when empty). */
export function withDefs(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonObject {
  const root: JsonObject = schema === true ? {} : schema === false ? { not: {} } : { ...schema };
  if (Object.keys(defs).length > 0) root.$defs = defs;
  return root;
}

interface Walk {
  refs: Set<string>;
  /** The objects on the path from the root to here: meeting one again means the document is circular. */
  ancestors: Set<object>;
  budget: number;
}

function convertDef(converter: SchemaConverter, name: string): { schema: JsonSchema; refs: string[] } | undefined {
  const entry = converter.defs.get(name);
  if (!entry) return undefined;
  if (!entry.converted) {
    const refs = new Set<string>();
    const schema = convertSchema(converter, valueAt(converter.root, entry.tokens), refs);
    entry.converted = { schema, refs: [...refs] };
  }
  return entry.converted;
}

function convertNode(converter: SchemaConverter, node: unknown, walk: Walk): JsonSchema {
  if (typeof node === "boolean") return node;
  if (!isObject(node) || walk.ancestors.has(node) || walk.ancestors.size >= MAX_SCHEMA_DEPTH || walk.budget <= 0) return {};
  walk.budget--;
  walk.ancestors.add(node);
  try {
    return convertObject(converter, node, walk);
  } finally {
    walk.ancestors.delete(node);
  }
}

function convertObject(converter: SchemaConverter, node: JsonObject, walk: Walk): JsonSchema {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref") {
      const ref = typeof value === "string" ? refToDef(converter, value) : undefined;
      if (ref) {
        walk.refs.add(ref);
        out.$ref = `#/$defs/${ref}`;
      }
    } else if (SUBSCHEMA_KEYWORDS.has(key)) {
      out[key] = convertNode(converter, value, walk);
    } else if (SUBSCHEMA_LIST_KEYWORDS.has(key)) {
      if (Array.isArray(value) && value.length > 0) out[key] = value.map((item) => convertNode(converter, item, walk));
    } else if (SUBSCHEMA_MAP_KEYWORDS.has(key)) {
      if (isObject(value)) {
        const entries = Object.entries(value).filter(([name]) => key !== "patternProperties" || isUsablePattern(name));
        out[key] = Object.fromEntries(entries.map(([name, item]) => [name, convertNode(converter, item, walk)]));
      }
    } else if (key === "items") {
      // An array here is a draft-4 tuple (invalid in OpenAPI but seen in the wild).
      if (Array.isArray(value)) out.prefixItems = value.map((item) => convertNode(converter, item, walk));
      else out.items = convertNode(converter, value, walk);
    } else if (key === "type") {
      const type = convertType(value);
      if (type !== undefined) out.type = type;
      if (value === "file") out.format ??= "binary";
    } else if (key === "required") {
      if (Array.isArray(value)) {
        const names = [...new Set(value.filter((name): name is string => typeof name === "string"))];
        if (names.length > 0) out.required = names;
      }
    } else if (key === "enum") {
      if (Array.isArray(value) && value.length > 0) out.enum = value;
    } else if (key === "const" || key === "default") {
      out[key] = value;
    } else if (key === "description") {
      const text = shortenText(value, SCHEMA_DESCRIPTION_MAX_CHARS);
      if (text) out.description = text;
    } else if (key === "pattern") {
      if (typeof value === "string" && isUsablePattern(value)) out.pattern = value;
    } else if (key === "minimum" || key === "maximum") {
      if (typeof value === "number") out[key] = value;
    } else if (key === "multipleOf") {
      if (typeof value === "number" && value > 0) out.multipleOf = value;
    } else if (COUNT_KEYWORDS.has(key)) {
      if (Number.isInteger(value) && (value as number) >= 0) out[key] = value;
    } else if (FLAG_KEYWORDS.has(key)) {
      if (typeof value === "boolean") out[key] = value;
    } else if (TEXT_KEYWORDS.has(key)) {
      if (typeof value === "string") out[key] = value;
    } else if (key === "dependentRequired") {
      if (isObject(value)) out.dependentRequired = Object.fromEntries(Object.entries(value).filter(([, names]) => isStringList(names)));
    }
  }
  convertExclusiveBounds(node, out);
  return node.nullable === true || node["x-nullable"] === true ? allowNull(out) : out;
}

/** The def name for a ref, registering it on first sight; undefined for an external or broken ref. */
function refToDef(converter: SchemaConverter, ref: string): string | undefined {
  const tokens = parseLocalRef(ref);
  if (!tokens || valueAt(converter.root, tokens) === undefined) return undefined;
  return converter.defNames.get(formatPointer(tokens)) ?? registerDef(converter, tokens);
}

function registerDef(converter: SchemaConverter, tokens: string[]): string {
  const { schemasAt } = converter;
  const isNamed = tokens.length > schemasAt.length && schemasAt.every((token, index) => tokens[index] === token);
  const base = sanitiseDefName((isNamed ? tokens.slice(schemasAt.length) : tokens).join("_"));
  let name = base;
  for (let suffix = 2; converter.defs.has(name); suffix++) name = `${base}_${suffix}`;
  converter.defNames.set(formatPointer(tokens), name);
  converter.defs.set(name, { tokens });
  return name;
}

/** Names survive as plain URI fragment text, so `#/$defs/<name>` needs no escaping anywhere. */
function sanitiseDefName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_") || "_";
}

function convertType(value: unknown): string | string[] | undefined {
  if (value === "file") return "string";
  if (typeof value === "string") return TYPE_NAMES.has(value) ? value : undefined;
  if (!Array.isArray(value)) return undefined;
  const names = value.filter((name): name is string => typeof name === "string" && TYPE_NAMES.has(name));
  return names.length > 0 ? [...new Set(names)] : undefined;
}

/** OpenAPI 3.0 and Swagger say `exclusiveMinimum: true` beside `minimum`; 2020-12 wants the bound itself. */
function convertExclusiveBounds(node: JsonObject, out: JsonObject): void {
  for (const [bound, exclusive] of [
    ["minimum", "exclusiveMinimum"],
    ["maximum", "exclusiveMaximum"],
  ] as const) {
    const flag = node[exclusive];
    if (typeof flag === "number") {
      out[exclusive] = flag;
    } else if (flag === true && typeof out[bound] === "number") {
      out[exclusive] = out[bound];
      delete out[bound];
    }
  }
}

/** OpenAPI 3.0 `nullable` (Swagger `x-nullable`) as JSON Schema: null joins the types, or the whole schema becomes one alternative. */
function allowNull(out: JsonObject): JsonSchema {
  if (COMPOSITION_KEYWORDS.some((keyword) => keyword in out)) {
    const { description, ...rest } = out;
    return { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: "null" }] };
  }
  const nullable: JsonObject = { ...out };
  if (typeof out.type === "string" && out.type !== "null") nullable.type = [out.type, "null"];
  else if (Array.isArray(out.type) && !out.type.includes("null")) nullable.type = [...out.type, "null"];
  if (Array.isArray(out.enum) && !out.enum.includes(null)) nullable.enum = [...out.enum, null];
  return nullable;
}

/** Validators compile patterns as unicode regexes; one that does not compile would fail every call. */
function isUsablePattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
