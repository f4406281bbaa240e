/**
 * Calls a GraphQL root field: build the operation (default or `select`ed fields), POST it
 * with the connection's credentials, and return the field's data. GraphQL `errors` become
 * `upstream_error` with the messages.
 */
import type { InvokeContext, Tool } from "../catalog";
import { credentialsForCall, redactSecrets } from "../connections";
import { ExecutorError } from "../errors";
import { buildOperation, GraphqlResponseError, GraphqlSchemaError, readGraphqlResponse, type GraphqlInvocation } from "./graphql";
import { parseBody, sendCall } from "./http-call";
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
  const { connection, auth } = await credentialsForCall(db, caller, integration, context.connectionName, { boundConnectionId: context.boundConnectionId, connectionsRevision: context.revisions?.connections });
  const url = new URL(endpoint);
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  const response = await sendCall(
    { url: url.href, method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...auth.headers }, body: JSON.stringify(operation) },
    { tool, origin: url.origin, connection, auth, db, allowLocalNetwork: caller.config.allowLocalNetwork },
  );
  try {
    return redactSecrets(readGraphqlResponse(parseBody(response), (tool.invocation as GraphqlInvocation).field), auth.secrets);
  } catch (error) {
    if (error instanceof GraphqlResponseError) {
      throw new ExecutorError("upstream_error", redactSecrets(`${tool.address}: ${error.messages.join("; ")}`, auth.secrets), { details: redactSecrets(error.messages, auth.secrets) });
    }
    throw error;
  }
}
