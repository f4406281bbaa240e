/** What a tool is, whatever its source. */
import type { Caller } from "../auth";
import type { Database, Revisions } from "../db";

export type JsonObjectSchema = Record<string, unknown>;

/** Read tools run by default; write tools wait for a human (docs/agents.md, Policies). */
export type DefaultPolicy = "allow" | "approve";

export interface Tool {
  /** `<integration>.<tool path>`, e.g. `github.issues.create`. */
  address: string;
  integration: string;
  /** The address without the integration slug. */
  name: string;
  description: string;
  inputSchema: JsonObjectSchema;
  outputSchema: JsonObjectSchema | null;
  defaultPolicy: DefaultPolicy;
  /** Source-specific data needed to call it (HTTP method and path, GraphQL field, ...). */
  invocation: unknown;
}

/**
 * A tool as a source produces it (OpenAPI operation, GraphQL field, MCP tool), before it is
 * stored under an integration's slug. `invocation` is the source's own data for calling it.
 */
export interface SourceTool<Invocation = unknown> {
  /** Tool path without the integration slug: dot-separated identifier segments. */
  name: string;
  /** One line, at most about 400 characters: what an agent reads in search results. */
  description: string;
  /** JSON Schema 2020-12, self-contained through `$defs`. */
  inputSchema: JsonObjectSchema;
  /** What a call returns, when the source says; null otherwise. */
  outputSchema: JsonObjectSchema | null;
  defaultPolicy: DefaultPolicy;
  invocation: Invocation;
}

/**
 * What a tool call answers: its data (the default), or the data with the HTTP status and the
 * response headers a program may see (docs/agents.md, Call options).
 */
export type ResponseMode = "data" | "full";

/** The answer to a call made with `response: "full"`; `status` is null for tools with no HTTP answer of their own (MCP, built-in). */
export interface FullResponse {
  data: unknown;
  status: number | null;
  headers: Record<string, string>;
}

/** What an invoker gets besides the arguments. */
export interface InvokeContext {
  db: Database;
  env: Env;
  caller: Caller;
  now: number;
  /** The connection named in the call (`{connection}`), or null for the default. */
  connectionName: string | null;
  /**
   * For an approved call: the connection it was approved with (null: none). The call fails
   * with `approval_stale` if it would resolve to another one.
   */
  boundConnectionId?: string | null;
  /** The revision counters the run read: caches of integrations and connections are valid for them. */
  revisions?: Revisions;
  /** What the call answers; absent means `data`. */
  response?: ResponseMode;
}
