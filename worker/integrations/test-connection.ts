/**
 * Tries a connection's credentials with a harmless call: the integration's simplest read
 * (a GET with no required arguments). Its outcome updates the connection's status like any
 * other call.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Caller } from "../auth";
import { getTool, ToolError } from "../catalog";
import { schema, database, readRevisions } from "../db";
import type { Env } from "../env";
import { ApiError } from "../http";
import { invokeTool } from "../sources";

export interface ConnectionTestResult {
  ok: boolean;
  status?: number;
  message: string;
}

/** Calls the harmless operation with connection `name`. */
export async function testConnection(env: Env, caller: Caller, slug: string, name: string): Promise<ConnectionTestResult> {
  const db = database(env.DB);
  const candidates = await db
    .select({ address: schema.tools.address, inputSchema: schema.tools.inputSchema, invocation: schema.tools.invocation })
    .from(schema.tools)
    .where(and(eq(schema.tools.integration, slug), eq(schema.tools.defaultPolicy, "allow")))
    .orderBy(asc(schema.tools.address));
  const harmless = candidates
    .filter((tool) => (tool.invocation as { method?: string } | null)?.method === "GET")
    .filter((tool) => (((tool.inputSchema as { required?: string[] }).required ?? []) as string[]).length === 0)
    .sort((a, b) => pathLength(a.invocation) - pathLength(b.invocation))[0];
  if (!harmless) return { ok: false, message: `${slug} has no read operation without required arguments to try` };
  const tool = await getTool(db, harmless.address, (await readRevisions(db)).catalog);
  if (!tool) throw new ApiError("not_found", `No tool ${harmless.address}`);
  try {
    await invokeTool(tool, {}, { db, env, caller, now: Date.now(), connectionName: name });
    return { ok: true, message: `${tool.address} succeeded with ${name}` };
  } catch (error) {
    if (error instanceof ToolError) {
      if (error.code === "no_connection" && /No connection named/.test(error.message)) throw new ApiError("not_found", error.message);
      return { ok: false, ...(error.extra.status === undefined ? {} : { status: error.extra.status }), message: error.message };
    }
    throw error;
  }
}

function pathLength(invocation: unknown): number {
  return String((invocation as { path?: string } | null)?.path ?? "").length;
}
