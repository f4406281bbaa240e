/**
 * A root field's arguments as the tool's input schema. Each input object type becomes one
 * `$defs` entry, built once per import and shared between tools, and a tool carries only the
 * entries its arguments reach: GitHub's input types refer to each other (and to themselves),
 * so `$ref` is what keeps recursion finite and each tool small.
 * It does not decide what `select` means; build-operation.ts does.
 */
import {
  isInputObjectType,
  isListType,
  isNonNullType,
  isRequiredArgument,
  isRequiredInputField,
  type GraphQLArgument,
  type GraphQLEnumType,
  type GraphQLInputField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLList,
  type GraphQLScalarType,
  type GraphQLSchema,
} from "graphql";
import { allowNull, leafSchema, withDescription, type JsonSchema } from "./json-schema";

/** The `select` property's schema, for fields whose value has fields of its own. */
const SELECT_SCHEMA: JsonSchema = {
  type: "string",
  description: 'GraphQL selection set for the result, e.g. "{ id name }" (default: scalar fields)',
};

type NullableInputType = GraphQLScalarType | GraphQLEnumType | GraphQLInputObjectType | GraphQLList<GraphQLInputType>;

/** One input object type's `$defs` entry and the input object types it refers to. */
interface InputDefinition {
  schema: JsonSchema;
  refs: Set<string>;
}

/** Input object definitions by type name, filled as tools need them; one per import. */
export type InputDefinitions = Map<string, InputDefinition>;

/**
 * The input schema for `args`, with a `select` property when `selectArg` names it. Non-null
 * arguments without a default are required; nullable ones also accept null.
 */
export function buildInputSchema(
  schema: GraphQLSchema,
  args: readonly GraphQLArgument[],
  selectArg: string | undefined,
  definitions: InputDefinitions,
): JsonSchema {
  const refs = new Set<string>();
  const properties: Record<string, JsonSchema> = {};
  for (const arg of args) properties[arg.name] = valueSchema(arg, refs);
  if (selectArg !== undefined) properties[selectArg] = SELECT_SCHEMA;
  const required = args.filter(isRequiredArgument).map((arg) => arg.name);

  const inputSchema: JsonSchema = { type: "object", properties };
  if (required.length > 0) inputSchema.required = required;
  inputSchema.additionalProperties = false;
  const defs = collectDefs(schema, refs, definitions);
  if (Object.keys(defs).length > 0) inputSchema.$defs = defs;
  return inputSchema;
}

function valueSchema(value: GraphQLArgument | GraphQLInputField, refs: Set<string>): JsonSchema {
  const schema = withDescription(typeSchema(value.type, refs), value.description);
  // buildClientSchema has already coerced the default from its GraphQL literal to a JS value.
  return value.defaultValue === undefined ? schema : { ...schema, default: value.defaultValue };
}

function typeSchema(type: GraphQLInputType, refs: Set<string>): JsonSchema {
  return isNonNullType(type) ? nonNullSchema(type.ofType, refs) : allowNull(nonNullSchema(type, refs));
}

function nonNullSchema(type: NullableInputType, refs: Set<string>): JsonSchema {
  if (isListType(type)) return { type: "array", items: typeSchema(type.ofType, refs) };
  if (isInputObjectType(type)) {
    refs.add(type.name);
    return { $ref: `#/$defs/${type.name}` };
  }
  return leafSchema(type);
}

/** The `$defs` reachable from `refs`, breadth first. */
function collectDefs(schema: GraphQLSchema, refs: Set<string>, definitions: InputDefinitions): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  const pending = [...refs];
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (Object.hasOwn(defs, name)) continue;
    const definition = inputDefinition(schema, name, definitions);
    defs[name] = definition.schema;
    pending.push(...definition.refs);
  }
  return defs;
}

function inputDefinition(schema: GraphQLSchema, name: string, definitions: InputDefinitions): InputDefinition {
  const known = definitions.get(name);
  if (known) return known;
  // Only input object names are ever collected, so the lookup cannot miss in a built schema.
  const type = schema.getType(name) as GraphQLInputObjectType;
  const refs = new Set<string>();
  const fields = Object.values(type.getFields());
  const properties = Object.fromEntries(fields.map((field) => [field.name, valueSchema(field, refs)]));
  const required = fields.filter(isRequiredInputField).map((field) => field.name);
  const definition: InputDefinition = {
    schema: withDescription({ type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false }, type.description),
    refs,
  };
  definitions.set(name, definition);
  return definition;
}
