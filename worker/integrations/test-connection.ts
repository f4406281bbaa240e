/**
 * Tries a connection's credentials with a harmless call: the integration's simplest read (a
 * GET with no required arguments) that no policy blocks. Its outcome updates the connection's
 * status like any other call.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Caller } from "../auth";
import { getTool } from "../catalog";
import { listConnections } from "../connections";
import { database, readRevisions, schema } from "../db";
import { ExecutorError, toolFailure } from "../errors";
import { decidePolicy, loadPolicies } from "../policies";
import { invokeTool } from "../sources";

export interface ConnectionTestResult {
  ok: boolean;
  status?: number;
  message: string;
}

/** Calls the harmless operation with the caller's connection `name` (personal first, then shared). */
export async function testConnection(env: Env, caller: Caller, slug: string, name: string): Promise<ConnectionTestResult> {
  const db = database(env.DB);
  if (!(await listConnections(db, slug, caller.identity)).some((connection) => connection.name === name)) {
    throw new ExecutorError("not_found", `No connection named ${name} for ${slug}`);
  }
  const revisions = await readRevisions(db);
  const [candidates, rules] = await Promise.all([
    db
      .select({ address: schema.tools.address, inputSchema: schema.tools.inputSchema, invocation: schema.tools.invocation })
      .from(schema.tools)
      .where(and(eq(schema.tools.integration, slug), eq(schema.tools.defaultPolicy, "allow")))
      .orderBy(asc(schema.tools.address)),
    loadPolicies(db, revisions.policies),
  ]);
  const harmless = candidates
    .filter((tool) => (tool.invocation as { method?: string } | null)?.method === "GET")
    .filter((tool) => (((tool.inputSchema as { required?: string[] }).required ?? []) as string[]).length === 0)
    // A read the policies block or hold for a human is not ours to send on a test.
    .filter((tool) => decidePolicy(tool.address, rules, "allow").action === "allow")
    .sort((a, b) => pathLength(a.invocation) - pathLength(b.invocation))[0];
  if (!harmless) return { ok: false, message: `${slug} has no read operation without required arguments that the policies allow, to try` };
  const tool = await getTool(db, harmless.address, revisions.catalog);
  if (!tool) throw new ExecutorError("not_found", `No tool ${harmless.address}`);
  try {
    await invokeTool(tool, {}, { db, env, caller, now: Date.now(), connectionName: name });
    return { ok: true, message: `${tool.address} succeeded with ${name}` };
  } catch (error) {
    const failure = toolFailure(error);
    return { ok: false, ...(failure.status === undefined ? {} : { status: failure.status }), message: failure.message };
  }
}

function pathLength(invocation: unknown): number {
  return String((invocation as { path?: string } | null)?.path ?? "").length;
}
