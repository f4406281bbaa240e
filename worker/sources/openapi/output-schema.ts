/**
 * A tool's output schema: the first 2xx response whose content is JSON (`application/json`,
 * `application/*+json` or `*\/*`) and has a schema. It does not describe headers, error
 * responses or non-JSON bodies.
 */
import { collectDefs, convertSchema, withDefs, type SchemaConverter } from "./json-schema";
import { isObject, readField, type JsonObject } from "./json-value";
import { resolveObject } from "./refs";

/** The self-contained schema of the operation's successful JSON response, or null. */
export function buildOutputSchema(converter: SchemaConverter, document: JsonObject, operation: JsonObject): JsonObject | null {
  const responses = readField(operation, "responses");
  if (!isObject(responses)) return null;
  for (const [status, raw] of Object.entries(responses)) {
    if (!/^2(\d\d|XX)$/i.test(status)) continue;
    const schema = jsonSchemaOf(readField(resolveObject(document, raw), "content"));
    if (schema === undefined) continue;
    const refs = new Set<string>();
    const converted = convertSchema(converter, schema, refs);
    return withDefs(converted, collectDefs(converter, refs));
  }
  return null;
}

function jsonSchemaOf(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const base = (type: string) => type.split(";")[0].trim().toLowerCase();
  const ranked = Object.keys(content)
    .map((type) => ({ type, rank: jsonRank(base(type)) }))
    .filter(({ rank }) => rank > 0)
    .sort((a, b) => b.rank - a.rank);
  for (const { type } of ranked) {
    const schema = readField(content[type], "schema");
    if (schema !== undefined) return schema;
  }
  return undefined;
}

function jsonRank(type: string): number {
  if (type === "application/json") return 3;
  if (/^application\/[^/]*\+json$/.test(type)) return 2;
  return type === "*/*" ? 1 : 0;
}
