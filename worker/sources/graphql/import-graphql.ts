/**
 * A GraphQL introspection result to tools: one per Query root field and one per Mutation root
 * field (subscriptions need a socket and are skipped). Each tool gets its arguments as a JSON
 * Schema, a default selection set and the operation document that runs it. Pure: no fetching,
 * no storing.
 */
import { type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { shortenText } from "../openapi/short-text";
import { printOperation, SELECT_ARG } from "./build-operation";
import { buildInputSchema, type InputDefinitions } from "./input-schema";
import { readIntrospection } from "./introspection";
import { buildOutputSchema } from "./output-schema";
import { GraphqlSchemaError } from "./schema-error";
import { defaultSelection } from "./selection";
import { fitToolSize } from "./tool-size";
import type { GraphqlImport, GraphqlInvocation, GraphqlTool } from "./tool";

/** Tool descriptions are cut to this many characters before the `select` hint. */
export const TOOL_DESCRIPTION_MAX_CHARS = 400;

const SELECT_HINT = "Pass `select` (a GraphQL selection set) to choose the returned fields; by default they are the scalar fields and those of the objects directly below.";

/** Converts an introspection result (`{data:{__schema}}` or `{__schema}`). Throws GraphqlSchemaError. */
export function importGraphql(introspection: unknown): GraphqlImport {
  const schema = readIntrospection(introspection);
  const definitions: InputDefinitions = new Map();
  const queries = rootTools(schema, "query", schema.getQueryType(), definitions);
  const mutations = rootTools(schema, "mutation", schema.getMutationType(), definitions);
  if (queries.length + mutations.length === 0) throw new GraphqlSchemaError("The schema has no query or mutation fields to make tools of.");
  return { tools: [...queries, ...mutations], queryCount: queries.length, mutationCount: mutations.length };
}

function rootTools(
  schema: GraphQLSchema,
  operation: GraphqlInvocation["operation"],
  root: GraphQLObjectType | null | undefined,
  definitions: InputDefinitions,
): GraphqlTool[] {
  if (!root) return [];
  return Object.values(root.getFields())
    .filter((field) => !field.name.startsWith("__"))
    .map((field) => fitToolSize(buildTool(schema, operation, field, definitions)));
}

function buildTool(
  schema: GraphQLSchema,
  operation: GraphqlInvocation["operation"],
  field: GraphQLField<unknown, unknown>,
  definitions: InputDefinitions,
): GraphqlTool {
  const selectionSet = defaultSelection(field.type);
  // A field with its own `select` argument keeps it; the tool then always uses the default selection.
  const takesSelect = selectionSet !== undefined && !field.args.some((arg) => arg.name === SELECT_ARG);
  const variables = Object.fromEntries(field.args.map((arg) => [arg.name, String(arg.type)]));
  return {
    name: `${operation}.${field.name}`,
    description: describeTool(operation, field, takesSelect),
    inputSchema: buildInputSchema(schema, field.args, takesSelect ? SELECT_ARG : undefined, definitions),
    outputSchema: buildOutputSchema(schema, field.type, selectionSet),
    defaultPolicy: operation === "query" ? "allow" : "approve",
    invocation: {
      operation,
      field: field.name,
      document: printOperation(operation, field.name, Object.entries(variables), selectionSet),
      variables,
    },
  };
}

function describeTool(operation: GraphqlInvocation["operation"], field: GraphQLField<unknown, unknown>, takesSelect: boolean): string {
  const parts = [shortenText(field.description, TOOL_DESCRIPTION_MAX_CHARS) || `GraphQL ${operation} \`${field.name}\`.`];
  if (field.deprecationReason != null) parts.push(`Deprecated: ${shortenText(field.deprecationReason, TOOL_DESCRIPTION_MAX_CHARS)}`);
  if (takesSelect) parts.push(SELECT_HINT);
  return parts.join(" ");
}
