/**
 * What a GraphQL import produces: one tool per Query or Mutation root field, each with what
 * `buildOperation` needs to call it. Types only; the catalog stores these as the `Tool` rows
 * of an integration.
 */
import type { SourceTool } from "../../catalog";

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

/**
 * One root field as a tool: `query.<field>` or `mutation.<field>`, one input property per
 * argument (and `select`), the default selection's shape as output (null when it would make
 * the tool too big); queries run, mutations wait for approval.
 */
export type GraphqlTool = SourceTool<GraphqlInvocation>;

/** A converted schema. */
export interface GraphqlImport {
  tools: GraphqlTool[];
  queryCount: number;
  mutationCount: number;
}
