/**
 * The MCP SDK's own Client against the Worker over real HTTP (Miniflare's listening socket),
 * with an Access assertion header as Access would forward it. A client may declare URL-mode
 * elicitation (`elicitation: {url: {}}`) and answer prompts with a handler of the test's, the
 * way an MCP host shows its user a URL and reports what they did.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitationCompleteNotificationSchema, ElicitRequestSchema, type ElicitRequestURLParams, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import type { TestWorker } from "./worker";

/** What execute and resume answer (executions/views.ts). */
export interface McpView {
  executionId: string;
  status: string;
  result?: unknown;
  logs: string[];
  error?: { code: string; message: string; details?: { url: string; integration: string } };
  approval?: { callId: number; tool: string; url: string; connection?: string; connectionShared?: boolean };
}

export interface McpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Every URL elicitation the client received, in order. */
  elicitations: ElicitRequestURLParams[];
  /** The ids of `notifications/elicitation/complete` received. */
  completed: string[];
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Default `/mcp`; a toolkit's is `/mcp/toolkits/<slug>`. */
  path?: string;
  /** Declares URL-mode elicitation and answers each prompt with this. */
  onUrl?: (params: ElicitRequestURLParams) => Promise<ElicitResult>;
  /** Extra request headers (e.g. a forged Mcp-Session-Id). */
  headers?: Record<string, string>;
}

/** Connects (initialises) a client as the holder of `token`. */
export async function connectMcp(worker: TestWorker, token: string, options: ConnectOptions = {}): Promise<McpConnection> {
  const base = await worker.mf.ready;
  const transport = new StreamableHTTPClientTransport(new URL(options.path ?? "/mcp", base), {
    requestInit: { headers: { "cf-access-jwt-assertion": token, ...options.headers } },
  });
  const client = new Client({ name: "test-agent", version: "1.0.0" }, options.onUrl ? { capabilities: { elicitation: { url: {} } } } : {});
  const elicitations: ElicitRequestURLParams[] = [];
  const completed: string[] = [];
  if (options.onUrl) {
    const onUrl = options.onUrl;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const params = request.params as ElicitRequestURLParams;
      elicitations.push(params);
      return onUrl(params);
    });
    client.setNotificationHandler(ElicitationCompleteNotificationSchema, (notification) => {
      completed.push(notification.params.elicitationId);
    });
  }
  await client.connect(transport);
  return { client, transport, elicitations, completed, close: () => client.close() };
}

/** Calls `execute` or `resume`; answers the view, the text, whether it is an error, and the progress seen. */
export async function callTool(
  connection: McpConnection,
  name: "execute" | "resume",
  args: Record<string, unknown>,
  options: { progress?: boolean } = {},
): Promise<{ view: McpView; text: string; isError: boolean; progress: { progress: number; message?: string }[] }> {
  const progress: { progress: number; message?: string }[] = [];
  const result = await connection.client.callTool(
    { name, arguments: args },
    undefined,
    options.progress ? { onprogress: (update) => progress.push(update), resetTimeoutOnProgress: true } : {},
  );
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return { view: result.structuredContent as unknown as McpView, text, isError: result.isError === true, progress };
}
