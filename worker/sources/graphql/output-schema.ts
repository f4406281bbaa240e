/**
 * The JSON Schema of a root field's value under a selection set: what `readGraphqlResponse`
 * returns for the default selection. Every selected field is present in a response (possibly
 * null), so all are required, except those of inline fragments, which only some results have.
 * It reads the selection the import built; it does not check a caller's `select`.
 */
import {
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type GraphQLEnumType,
  type GraphQLInterfaceType,
  type GraphQLList,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLUnionType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { allowNull, leafSchema, withDescription, type JsonSchema } from "./json-schema";

type NullableOutputType =
  | GraphQLScalarType
  | GraphQLEnumType
  | GraphQLObjectType
  | GraphQLInterfaceType
  | GraphQLUnionType
  | GraphQLList<GraphQLOutputType>;

/** The schema of a `type` value selected with `selectionSet` (none for scalars and enums). */
export function buildOutputSchema(schema: GraphQLSchema, type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): JsonSchema {
  if (isNonNullType(type)) return nonNullSchema(schema, type.ofType, selectionSet);
  return allowNull(nonNullSchema(schema, type, selectionSet));
}

function nonNullSchema(schema: GraphQLSchema, type: NullableOutputType, selectionSet: SelectionSetNode | undefined): JsonSchema {
  if (isListType(type)) return { type: "array", items: buildOutputSchema(schema, type.ofType, selectionSet) };
  if (isLeafType(type)) return leafSchema(type);
  if (!selectionSet) return {};
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  addSelected(schema, type, selectionSet, properties, required);
  return { type: "object", properties, required };
}

function addSelected(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  properties: Record<string, JsonSchema>,
  required: string[] | undefined,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      if (condition) addSelected(schema, condition, selection.selectionSet, properties, undefined);
      continue;
    }
    if (selection.kind !== Kind.FIELD) continue;
    const key = selection.alias?.value ?? selection.name.value;
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
    if (selection.name.value === "__typename") properties[key] = { type: "string" };
    else if (field) properties[key] = withDescription(buildOutputSchema(schema, field.type, selection.selectionSet), field.description);
    else properties[key] = {};
    required?.push(key);
  }
}
