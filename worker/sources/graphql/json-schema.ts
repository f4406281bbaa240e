/**
 * The JSON Schema pieces tool inputs and outputs share: GraphQL scalars and enums as JSON types,
 * how a nullable type admits null, and descriptions. It does not walk input objects or
 * selections; input-schema.ts and output-schema.ts do.
 */
import { isEnumType, type GraphQLEnumType, type GraphQLScalarType } from "graphql";
import { shortenText } from "../openapi/short-text";

export type JsonSchema = Record<string, unknown>;

/** Argument, field and scalar descriptions are cut to this many characters. */
export const SCHEMA_DESCRIPTION_MAX_CHARS = 200;

const BUILT_IN_SCALARS = new Map([
  ["String", "string"],
  ["ID", "string"],
  ["Int", "integer"],
  ["Float", "number"],
  ["Boolean", "boolean"],
]);

/**
 * A scalar's or enum's values. A custom scalar (`DateTime`, `URI`, ...) accepts any JSON: only
 * the server knows its format, so its name and description tell the agent what to send.
 */
export function leafSchema(type: GraphQLScalarType | GraphQLEnumType): JsonSchema {
  if (isEnumType(type)) return { enum: type.getValues().map((value) => value.name) };
  const jsonType = BUILT_IN_SCALARS.get(type.name);
  if (jsonType) return { type: jsonType };
  const about = shortenText(type.description, SCHEMA_DESCRIPTION_MAX_CHARS);
  return { description: about ? `${type.name}: ${about}` : type.name };
}

/** `schema`, also accepting null. */
export function allowNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...schema.enum, null] };
  // A custom scalar's `{}` already accepts null.
  if (schema.type === undefined && schema.$ref === undefined) return schema;
  return { anyOf: [schema, { type: "null" }] };
}

/** `schema` with `description` (shortened) in front of any description it already has. */
export function withDescription(schema: JsonSchema, description: unknown): JsonSchema {
  const text = shortenText(description, SCHEMA_DESCRIPTION_MAX_CHARS);
  if (!text) return schema;
  const existing = typeof schema.description === "string" ? schema.description : "";
  return { ...schema, description: existing ? `${text} (${existing})` : text };
}
