/**
 * /mcp: a stateless MCP server (streamable HTTP, JSON responses, no session id) with two
 * tools, `execute` and `resume`. A fresh server and transport per request, as the SDK's
 * stateless mode requires; everything costly (QuickJS, config, keys) is per isolate.
 * The caller was authenticated by the gate before this runs.
 *
 * Errors: a refusal the agent can act on (bad input, not found) is a tool result with
 * `isError`; anything else is a JSON-RPC internal error whose message is the generic
 * `Internal error [id]` (the detail is only in the log). JSON-RPC errors of the protocol itself
 * (parse errors, unknown methods) are the SDK's own.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { version } from "../../package.json";
import { listIntegrationSummaries } from "../catalog";
import { database } from "../db";
import { ExecutorError, httpError } from "../errors";
import { executeCode, MAX_RESUME_WAIT_MS, resumeExecution, type ExecutionView, type RunContext } from "../executions";
import { errorResponse, readTextCapped } from "../http";
import { describeExecute } from "./describe-execute";

const RESUME_DESCRIPTION =
  "Continue a paused execution after a human approved or declined its pending call. If nobody has decided yet, waits up to 25 s and answers paused again.";

/** Handles one /mcp request for an authenticated caller. */
export async function handleMcp(request: Request, context: RunContext): Promise<Response> {
  if (request.method !== "POST") {
    return errorResponse(new ExecutorError("method_not_allowed", "This MCP endpoint is stateless: POST JSON-RPC messages; there is no stream to GET or session to DELETE"));
  }
  const server = new Server({ name: "executor", version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () =>
    withGenericErrors(async () => ({
      tools: [
        {
          name: "execute",
          description: describeExecute(await listIntegrationSummaries(database(context.env.DB))),
          inputSchema: { type: "object" as const, properties: { code: { type: "string", description: "The program" } }, required: ["code"] },
        },
        {
          name: "resume",
          description: RESUME_DESCRIPTION,
          inputSchema: {
            type: "object" as const,
            properties: {
              executionId: { type: "string" },
              waitSeconds: { type: "number", minimum: 0, maximum: MAX_RESUME_WAIT_MS / 1000, description: "How long to wait for a decision (default 25)" },
            },
            required: ["executionId"],
          },
        },
      ],
    })),
  );
  server.setRequestHandler(CallToolRequestSchema, (call) =>
    withGenericErrors(async (): Promise<CallToolResult> => {
      const args = (call.params.arguments ?? {}) as Record<string, unknown>;
      if (call.params.name === "execute") return toolResult(await executeCode(context, args.code));
      if (call.params.name === "resume") {
        const waitSeconds = typeof args.waitSeconds === "number" ? args.waitSeconds : MAX_RESUME_WAIT_MS / 1000;
        return toolResult(await resumeExecution(context, args.executionId, waitSeconds * 1000));
      }
      throw new ExecutorError("not_found", `Unknown tool ${call.params.name}; use execute or resume`);
    }, refusalResult),
  );
  // The body is read here, capped like every other body (1 MB); what is not JSON goes to the
  // SDK as it came, for its own parse error.
  const text = await readTextCapped(request);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  const parsedBody = parseJson(text);
  if (parsedBody === undefined) return transport.handleRequest(new Request(request.url, { method: "POST", headers: request.headers, body: text }));
  return transport.handleRequest(request, { parsedBody });
}

/**
 * Runs a handler. Whatever it throws is mapped as an HTTP answer would be: a refusal (4xx)
 * goes to `onRefusal` when given; anything else becomes an McpError carrying only the mapped
 * message (`Internal error [id]` for the unexpected).
 */
async function withGenericErrors<T>(work: () => Promise<T>, onRefusal?: (code: string, message: string) => T): Promise<T> {
  try {
    return await work();
  } catch (thrown) {
    const { status, body } = httpError(thrown);
    if (status < 500 && onRefusal) return onRefusal(body.error.code, body.error.message);
    throw new McpError(status < 500 ? ErrorCode.InvalidParams : ErrorCode.InternalError, body.error.message);
  }
}

/** A refusal the agent can act on, as a tool result. */
function refusalResult(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: `${code}: ${message}` }] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toolResult(view: ExecutionView): CallToolResult {
  const failed = view.status === "failed" || view.status === "cancelled" || view.status === "expired";
  const lines = [JSON.stringify(view)];
  if (view.status === "paused" && view.approval) {
    lines.unshift(
      `Paused: ${view.approval.tool} needs a human's approval at ${view.approval.url} (expires ${view.approval.expiresAt}). Then call resume with {"executionId":"${view.executionId}"}.`,
    );
  }
  return { content: [{ type: "text", text: lines.join("\n") }], structuredContent: view as unknown as Record<string, unknown>, ...(failed ? { isError: true } : {}) };
}
