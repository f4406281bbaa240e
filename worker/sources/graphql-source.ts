/**
 * Calls a GraphQL root field: build the operation (default or `select`ed fields), POST it
 * with the connection's credentials, and return the field's data (with the HTTP status and
 * headers for `response: "full"`). GraphQL `errors` become `upstream_error` with the messages.
 */
import type { InvokeContext, Tool } from "../catalog";
import { credentialsForCall, renewCredentials, type AppliedAuth } from "../connections";
import { ExecutorError } from "../errors";
import type { OutboundRequest } from "../outbound";
import { buildOperation, GraphqlResponseError, GraphqlSchemaError, readGraphqlResponse, type GraphqlInvocation } from "./graphql";
import { fullResponse, readBody } from "./http-answer";
import { sendCall } from "./http-call";
import { integrationFor } from "./integration-cache";

/** Invokes a GraphQL tool with already-validated arguments. */
export async function invokeGraphql(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  const { db, caller } = context;
  const integration = await integrationFor(db, tool.integration, context.revisions?.catalog);
  const endpoint = integration.sourceUrl;
  if (!endpoint) throw new ExecutorError("tool_not_found", `The integration ${tool.integration} has no endpoint`);
  let operation: { query: string; variables: Record<string, unknown> };
  try {
    operation = buildOperation(tool.invocation as GraphqlInvocation, args);
  } catch (error) {
    if (error instanceof GraphqlSchemaError) throw new ExecutorError("invalid_arguments", error.message);
    throw error;
  }
  const credentials = await credentialsForCall(db, caller, integration, context.connectionName, { boundConnectionId: context.boundConnectionId, connectionsRevision: context.revisions?.connections });
  const invocation = tool.invocation as GraphqlInvocation;
  const withAuth = (auth: AppliedAuth): OutboundRequest => {
    const url = new URL(endpoint);
    for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
    return { url: url.href, method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...auth.headers }, body: JSON.stringify(operation) };
  };
  const { response, auth, secrets } = await sendCall(withAuth, {
    tool,
    origin: new URL(endpoint).origin,
    credentials,
    renew: (rejected) => renewCredentials(db, caller, integration, rejected),
    // A query reads: GraphQL POSTs it only as transport, so sending it again changes nothing.
    readOnly: invocation.operation === "query",
    db,
    allowLocalNetwork: caller.config.allowLocalNetwork,
  });
  let data: unknown;
  try {
    data = readGraphqlResponse(readBody(response, secrets), invocation.field);
  } catch (error) {
    if (error instanceof GraphqlResponseError) {
      throw new ExecutorError("upstream_error", `${tool.address}: ${error.messages.join("; ")}`, { details: error.messages });
    }
    throw error;
  }
  return context.response === "full" ? fullResponse(response, data, secrets, Object.keys(auth.headers)) : data;
}
