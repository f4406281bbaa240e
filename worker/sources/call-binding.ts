/**
 * What an approval binds to besides the call itself: the connection the call resolves to (its
 * id, owner and credential version) and a fingerprint of the tool's definition (what it calls,
 * where: the stored invocation with the integration's base and source URLs). A human approves
 * "this call, with these credentials, to this endpoint"; if any of it changes before the
 * resume, the call is not sent (docs/agents.md, Approvals).
 */
import type { Caller } from "../auth";
import type { Tool } from "../catalog";
import { resolveConnection, SHARED_OWNER } from "../connections";
import type { CallBinding, Database, Revisions } from "../db";
import { integrationFor } from "./integration-cache";

/** The binding of a call to `tool` with `connectionName` (null: the default), as it resolves now. */
export async function callBinding(db: Database, caller: Caller, tool: Tool, connectionName: string | null, revisions?: Revisions): Promise<CallBinding> {
  const integration = await integrationFor(db, tool.integration, revisions?.catalog);
  const connection = await resolveConnection(db, tool.integration, connectionName, caller.identity, revisions?.connections);
  return {
    connection: connection && { id: connection.id, name: connection.name, shared: connection.owner === SHARED_OWNER, credentialVersion: connection.credentialVersion },
    toolRevision: await definitionFingerprint([tool.invocation, integration.baseUrl, integration.sourceUrl]),
  };
}

/** The binding of a tool that has no integration and no credentials (the built-in ones). */
export async function builtinBinding(tool: Tool): Promise<CallBinding> {
  return { connection: null, toolRevision: await definitionFingerprint([tool.invocation]) };
}

async function definitionFingerprint(parts: unknown[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(parts)));
  return [...new Uint8Array(digest).slice(0, 12)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
