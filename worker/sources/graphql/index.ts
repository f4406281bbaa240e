/**
 * GraphQL source: turns an endpoint's introspection result into one tool per query and mutation
 * root field, a tool call into the operation document and variables to POST, and the response
 * into the field's value. Pure functions only; fetching, storing tools, attaching credentials and
 * sending requests belong to the callers.
 */
export { buildOperation } from "./build-operation";
export { importGraphql } from "./import-graphql";
export { INTROSPECTION_QUERY, introspectionFromSdl } from "./introspection";
export { GraphqlResponseError, readGraphqlResponse } from "./read-response";
export { GraphqlSchemaError } from "./schema-error";
export type { GraphqlImport, GraphqlInvocation, GraphqlTool } from "./tool";
