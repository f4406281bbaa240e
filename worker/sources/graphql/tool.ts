/**
 * What a GraphQL import produces: one tool per Query or Mutation root field, each with what
 * `buildOperation` needs to call it. Types only; the catalog stores these as the `Tool` rows
 * of an integration.
 */

/** Everything needed to turn validated arguments into a GraphQL request. */
export interface GraphqlInvocation {
  operation: "query" | "mutation";
  /** The root field's name. */
  field: string;
  /** The GraphQL document to send when the caller gives no `select` (variables for every arg). */
  document: string;
  /** Arg name → GraphQL type string (e.g. "ID!", "[String!]"), to declare variables when rebuilding with a custom selection. */
  variables: Record<string, string>;
}

/** One root field as a tool. */
export interface GraphqlTool {
  /** `query.<field>` or `mutation.<field>`; GraphQL names are already identifier segments. */
  name: string;
  /** The field's description on one line, at most about 400 characters, plus how `select` works. */
  description: string;
  /** JSON Schema 2020-12 object: one property per argument (and `select`), self-contained through `$defs`. */
  inputSchema: Record<string, unknown>;
  /** The shape of the field's value under the default selection; null when it would make the tool too big. */
  outputSchema: Record<string, unknown> | null;
  /** Queries read and run; mutations change things and wait for approval. */
  defaultPolicy: "allow" | "approve";
  invocation: GraphqlInvocation;
}

/** A converted schema. */
export interface GraphqlImport {
  tools: GraphqlTool[];
  queryCount: number;
  mutationCount: number;
}
