/**
 * /mcp: a stateless MCP server (streamable HTTP, JSON responses, no session id) with two
 * tools, `execute` and `resume`. A fresh server and transport per request, as the SDK's
 * stateless mode requires; everything costly (QuickJS, config, keys) is per isolate.
 * The caller was authenticated by the gate before this runs.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { version } from "../../package.json";
import { listIntegrationSummaries } from "../catalog";
import { database } from "../db";
import { executeCode, MAX_RESUME_WAIT_MS, resumeExecution, type ExecutionView, type RunContext } from "../executions";
import { ApiError, errorResponse, json, readTextCapped } from "../http";
import { describeExecute } from "./describe-execute";

const RESUME_DESCRIPTION =
  "Continue a paused execution after a human approved or declined its pending call. If nobody has decided yet, waits up to 25 s and answers paused again.";

/** Handles one /mcp request for an authenticated caller. */
export async function handleMcp(request: Request, context: RunContext): Promise<Response> {
  if (request.method !== "POST") {
    return errorResponse(new ApiError("method_not_allowed", "This MCP endpoint is stateless: POST JSON-RPC messages; there is no stream to GET or session to DELETE"));
  }
  const server = new Server({ name: "executor", version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      {
        name: "execute",
        description: describeExecute(await listIntegrationSummaries(database(context.env.DB))),
        inputSchema: { type: "object", properties: { code: { type: "string", description: "The program" } }, required: ["code"] },
      },
      {
        name: "resume",
        description: RESUME_DESCRIPTION,
        inputSchema: {
          type: "object",
          properties: {
            executionId: { type: "string" },
            waitSeconds: { type: "number", minimum: 0, maximum: MAX_RESUME_WAIT_MS / 1000, description: "How long to wait for a decision (default 25)" },
          },
          required: ["executionId"],
        },
      },
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (call): Promise<CallToolResult> => {
    const args = (call.params.arguments ?? {}) as Record<string, unknown>;
    try {
      if (call.params.name === "execute") return toolResult(await executeCode(context, args.code));
      if (call.params.name === "resume") {
        const waitSeconds = typeof args.waitSeconds === "number" ? args.waitSeconds : MAX_RESUME_WAIT_MS / 1000;
        return toolResult(await resumeExecution(context, args.executionId, waitSeconds * 1000));
      }
      return { isError: true, content: [{ type: "text", text: `Unknown tool ${call.params.name}; use execute or resume` }] };
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) {
        return { isError: true, content: [{ type: "text", text: `${error.code}: ${error.message}` }] };
      }
      throw error;
    }
  });
  // The body is read here, capped like every other body (1 MB), and handed over parsed.
  const text = await readTextCapped(request);
  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(text);
  } catch {
    return json({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error: the body is not JSON" }, id: null }, 400);
  }
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  return transport.handleRequest(request, { parsedBody });
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
