/**
 * A Google tool's output schema: the method's `response` schema, self-contained through
 * `$defs`. Methods without a `response` (deletes, media downloads) have none.
 */
import { collectDefs, convertSchema, withDefs } from "../openapi/json-schema";
import { readField, readString, type JsonObject } from "../openapi/json-value";
import { schemaPointer } from "./discovery-schema";
import type { InputContext } from "./input-schema";

/** The schema of what the method answers, or null. */
export function buildOutputSchema(context: InputContext, method: JsonObject): JsonObject | null {
  const name = readString(readField(readField(method, "response"), "$ref"));
  if (name === undefined || !context.schemaNames.has(name)) return null;
  const refs = new Set<string>();
  const schema = convertSchema(context.converter, { $ref: schemaPointer(name) }, refs);
  return withDefs(schema, collectDefs(context.converter, refs));
}
