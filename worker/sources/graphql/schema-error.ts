/**
 * The error a GraphQL import or a bad `select` throws: the input cannot be used, and the message
 * says why in a sentence the person or agent who supplied it understands. Errors the endpoint
 * returns while a tool runs are `GraphqlResponseError` (read-response.ts).
 */

/** Thrown for an unusable introspection result or a `select` that is not a selection set. */
export class GraphqlSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphqlSchemaError";
  }
}
