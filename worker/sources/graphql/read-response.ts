/**
 * A GraphQL response body to the root field's value. Any entry in `errors` fails the call, even
 * beside partial data: a silently nulled field would read as "no value" to an agent, while the
 * error's message and path tell it which field to leave out of its `select`.
 * It does not send requests or look at HTTP status codes.
 */
import { isObject } from "./json-value";

/** The endpoint answered with GraphQL errors, or with something that is not a GraphQL response. */
export class GraphqlResponseError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join("; "));
    this.name = "GraphqlResponseError";
  }
}

/** `body.data[field]`; throws GraphqlResponseError with the messages when `body` carries errors or no data. */
export function readGraphqlResponse(body: unknown, field: string): unknown {
  if (!isObject(body)) throw new GraphqlResponseError(["The endpoint's answer is not a GraphQL response (not a JSON object)."]);
  const messages = graphqlErrorMessages(body.errors);
  if (messages.length > 0) throw new GraphqlResponseError(messages);
  if (!isObject(body.data)) throw new GraphqlResponseError(["The endpoint's GraphQL response has neither `data` nor `errors`."]);
  if (!(field in body.data)) throw new GraphqlResponseError([`The endpoint's GraphQL response has no \`${field}\` in its data.`]);
  return body.data[field];
}

/** Each entry of a response's `errors` as one line: its message, and the path it happened at. */
export function graphqlErrorMessages(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((error) => {
    if (!isObject(error) || typeof error.message !== "string") return JSON.stringify(error);
    return Array.isArray(error.path) && error.path.length > 0 ? `${error.message} (at ${error.path.join(".")})` : error.message;
  });
}
