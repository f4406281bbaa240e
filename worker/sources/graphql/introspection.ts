/**
 * The introspection query an import POSTs to the endpoint, and the check that what came back is
 * a schema. It does not fetch anything, and it does not judge whether the schema is fully valid
 * by the spec: a real server's schema with a small flaw can still make useful tools.
 */
import { buildClientSchema, buildSchema, getIntrospectionQuery, introspectionFromSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { isObject } from "./json-value";
import { graphqlErrorMessages } from "./read-response";
import { GraphqlSchemaError } from "./schema-error";

/**
 * The introspection query to POST (`{query}`) to the endpoint. graphql-js's default options:
 * the extra fields newer options ask for (`isOneOf`, `specifiedByURL`, ...) make older servers
 * reject the whole query.
 */
export const INTROSPECTION_QUERY: string = getIntrospectionQuery();

/** The schema an introspection result (`{data:{__schema}}` or `{__schema}`) describes. Throws GraphqlSchemaError. */
export function readIntrospection(introspection: unknown): GraphQLSchema {
  if (!isObject(introspection)) throw new GraphqlSchemaError("The introspection result is not a JSON object.");
  const root = "__schema" in introspection ? introspection : introspection.data;
  if (!isObject(root) || !isObject(root.__schema)) {
    const refusals = graphqlErrorMessages(introspection.errors);
    if (refusals.length > 0) throw new GraphqlSchemaError(`The endpoint answered the introspection query with errors: ${refusals.join("; ")}`);
    throw new GraphqlSchemaError("The introspection result has no `__schema`; is the URL a GraphQL endpoint that allows introspection?");
  }
  const schema = root.__schema;
  if (!Array.isArray(schema.types)) throw new GraphqlSchemaError("The introspection result's `__schema` has no `types` list.");
  if (!isObject(schema.queryType) && !isObject(schema.mutationType)) {
    throw new GraphqlSchemaError("The introspection result names neither a query type nor a mutation type.");
  }
  try {
    return buildClientSchema(root as unknown as IntrospectionQuery);
  } catch (error) {
    throw new GraphqlSchemaError(`The introspection result is not a usable schema: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * An introspection result built from a schema in SDL (`type Query { ... }`), for services that
 * publish their schema as a file but allow introspection only with credentials (GitHub's
 * `schema.docs.graphql`, Linear's `schema.graphql`). Throws GraphqlSchemaError.
 */
export function introspectionFromSdl(sdl: string): IntrospectionQuery {
  try {
    // assumeValidSDL: a published schema with a small flaw can still make useful tools.
    return introspectionFromSchema(buildSchema(sdl, { assumeValidSDL: true, noLocation: true }));
  } catch (error) {
    throw new GraphqlSchemaError(`The schema is neither an introspection result nor usable SDL: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}
