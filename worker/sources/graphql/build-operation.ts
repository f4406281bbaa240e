/**
 * A tool call to the GraphQL request body: the operation document and its variables. Every
 * argument value travels as a variable, never spliced into the document, so no value can change
 * the operation's shape; the caller's `select` is parsed and printed back by graphql-js, and
 * must be one selection set. It does not check `select` against the schema (the server does)
 * and does not send anything.
 */
import {
  Kind,
  OperationTypeNode,
  parse,
  parseType,
  print,
  visit,
  BREAK,
  type DocumentNode,
  type FieldNode,
  type SelectionSetNode,
} from "graphql";
import { GraphqlSchemaError } from "./schema-error";
import type { GraphqlInvocation } from "./tool";

/** The input property carrying a custom selection set, unless the field has an argument of that name. */
export const SELECT_ARG = "select";

/** The request body for a call: `{query, variables}`, with only the arguments the caller gave. Throws GraphqlSchemaError for a bad `select`. */
export function buildOperation(invocation: GraphqlInvocation, args: Record<string, unknown>): { query: string; variables: Record<string, unknown> } {
  const selectsFields = !Object.hasOwn(invocation.variables, SELECT_ARG);
  const variables: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || (selectsFields && name === SELECT_ARG)) continue;
    if (!Object.hasOwn(invocation.variables, name)) throw new GraphqlSchemaError(`\`${invocation.field}\` has no argument \`${name}\`.`);
    variables[name] = value;
  }
  const defaultSelection = rootField(invocation.document).selectionSet;
  const select = selectsFields ? args[SELECT_ARG] : undefined;
  let selectionSet = defaultSelection;
  if (select !== undefined) {
    if (!defaultSelection) throw new GraphqlSchemaError(`\`${invocation.field}\` returns a scalar, so it takes no \`select\`.`);
    selectionSet = parseSelect(select);
  }
  const declared = Object.keys(variables).map((name): [string, string] => [name, invocation.variables[name]]);
  return { query: printOperation(invocation.operation, invocation.field, declared, selectionSet), variables };
}

/** An operation calling the root `field` with one variable per `[name, GraphQL type]`, named like its argument. */
export function printOperation(
  operation: GraphqlInvocation["operation"],
  field: string,
  variables: [string, string][],
  selectionSet: SelectionSetNode | undefined,
): string {
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: operation === "mutation" ? OperationTypeNode.MUTATION : OperationTypeNode.QUERY,
        variableDefinitions: variables.map(([name, type]) => ({
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
          type: parseType(type),
        })),
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: field },
              arguments: variables.map(([name]) => ({
                kind: Kind.ARGUMENT,
                name: { kind: Kind.NAME, value: name },
                value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
              })),
              ...(selectionSet ? { selectionSet } : {}),
            },
          ],
        },
      },
    ],
  };
  return print(document);
}

/**
 * A caller's selection set, with or without its outer braces. It must be exactly one selection
 * set: anything after it (a second operation, a fragment definition) would let `select` smuggle
 * in an operation of its own, and variables would have no declaration to bind to.
 */
function parseSelect(select: unknown): SelectionSetNode {
  if (typeof select !== "string") throw new GraphqlSchemaError("`select` must be a string holding a GraphQL selection set.");
  const text = select.trim();
  let document: DocumentNode;
  try {
    document = parse(text.startsWith("{") ? text : `{ ${text} }`, { noLocation: true });
  } catch (error) {
    throw new GraphqlSchemaError(`\`select\` is not a GraphQL selection set: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [definition, ...rest] = document.definitions;
  if (rest.length > 0 || definition.kind !== Kind.OPERATION_DEFINITION) {
    throw new GraphqlSchemaError("`select` must be a single selection set such as \"{ id name }\", with no operations or fragments after it.");
  }
  let variable: string | undefined;
  visit(definition, {
    Variable(node) {
      variable = node.name.value;
      return BREAK;
    },
  });
  if (variable !== undefined) throw new GraphqlSchemaError(`\`select\` cannot use variables ($${variable}); write values inline.`);
  return definition.selectionSet;
}

function rootField(document: string): FieldNode {
  const definition = parse(document, { noLocation: true }).definitions[0];
  const field = definition?.kind === Kind.OPERATION_DEFINITION ? definition.selectionSet.selections[0] : undefined;
  if (field?.kind !== Kind.FIELD) throw new GraphqlSchemaError("The tool's stored GraphQL document has no root field.");
  return field;
}
