/**
 * /mcp and /mcp/toolkits/<slug>: an MCP server (streamable HTTP) with two tools, `execute`
 * and `resume`. A fresh server and transport per request, as the SDK's stateless mode
 * requires; everything costly (QuickJS, config, keys) is per isolate. The caller was
 * authenticated by the gate before this runs.
 *
 * Sessions without server memory (docs/agents.md, The MCP endpoint): a client that declares
 * URL-mode elicitation at `initialize` gets an `Mcp-Session-Id` that is a signed token
 * carrying that capability, its identity and the endpoint (session-id.ts). Every later
 * request that brings one is checked (signature, identity, endpoint, expiry); a bad one is
 * `404`, which tells the client to initialise again. Requests without one are served exactly
 * as before: JSON answers, approvals through `paused` and `resume`. Only a `tools/call` of a
 * session that can open URLs is answered with an SSE stream, on which the call asks for
 * approvals and set-up in the client while it waits (in-client.ts). The client's answers to
 * those questions arrive as POSTs of their own and are written to D1 for the waiting call.
 *
 * A toolkit's endpoint serves only its members (403 JSON for anyone else) and only the tools
 * it includes; its executions record it, and its rules apply to them on every run.
 *
 * Errors: a refusal the agent can act on (bad input, not found) is a tool result with
 * `isError`; anything else is a JSON-RPC internal error whose message is the generic
 * `Internal error [id]` (the detail is only in the log). JSON-RPC errors of the protocol itself
 * (parse errors, unknown methods) are the SDK's own.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type InitializeRequest,
  type JSONRPCMessage,
} from "@modelcontextprotocol/sdk/types.js";
import { version } from "../../package.json";
import type { Caller, Identity } from "../auth";
import { listIntegrationSummaries, visibleIntegrations, type IntegrationSummary } from "../catalog";
import { database, readRevisions, type Database } from "../db";
import { ExecutorError, httpError } from "../errors";
import { executeCode, EXECUTION_VIEW_SCHEMA, loadExecution, MAX_RESUME_WAIT_MS, resumeExecution, type ExecutionView, type RunContext } from "../executions";
import { errorResponse, readJsonText } from "../http";
import { policyScope } from "../policies";
import { loadToolkit, mayUseToolkit, toolkitPolicy, type Toolkit } from "../toolkits";
import { clientChannel, type ClientChannel } from "./client-channel";
import { describeExecute } from "./describe-execute";
import { ELICITATION_ID_PREFIX, recordElicitationAnswer, type ElicitationAction } from "./elicitations";
import { executeInClient, resumeInClient } from "./in-client";
import { newSessionClaims, signSessionId, verifySessionId, type SessionClaims } from "./session-id";

const RESUME_DESCRIPTION =
  "Continue a paused execution after a human approved or declined its pending call. If nobody has decided yet, waits up to 25 s and answers paused again (a client that can open URLs is asked to show the approval page instead, and the call waits for the decision).";

const SESSION_HEADER = "mcp-session-id";

/** The endpoint a request reached: `/mcp` (no toolkit) or a toolkit's. */
interface Endpoint {
  /** The session's `ep`: "" for /mcp, the toolkit's slug. */
  key: string;
  toolkit: { toolkit: Toolkit; catalogRevision: number } | null;
}

/** Handles one request to /mcp (toolkitSlug null) or /mcp/toolkits/<toolkitSlug>, for an authenticated caller. */
export async function handleMcp(request: Request, context: RunContext, toolkitSlug: string | null = null): Promise<Response> {
  if (request.method !== "POST") {
    return errorResponse(new ExecutorError("method_not_allowed", "POST JSON-RPC messages to this MCP endpoint; there is no stream to GET or session to DELETE"));
  }
  const db = database(context.env.DB);
  // Membership first, before the body is even read: a toolkit's endpoint serves its members only.
  const endpoint: Endpoint = toolkitSlug === null ? { key: "", toolkit: null } : { key: toolkitSlug, toolkit: await openToolkit(db, context.caller.identity, toolkitSlug) };
  const run: RunContext = { ...context, toolkit: toolkitSlug };

  // The body is read here, capped like every other body (1 MB); what is not JSON goes to the
  // SDK as it came, for its own parse error.
  const text = await readJsonText(request);
  const parsedBody = parseJson(text);
  const messages = (parsedBody === undefined ? [] : Array.isArray(parsedBody) ? parsedBody : [parsedBody]) as unknown[];
  const initialize = messages.find(isInitializeRequest);
  const session = initialize ? null : await sessionOf(request, context.caller, endpoint.key);

  if (messages.length > 0 && messages.every((message) => isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message))) {
    await recordAnswers(db, session, context.caller.identity, messages as JSONRPCMessage[]);
    return new Response(null, { status: 202 });
  }

  const sessionId = initialize && declaresUrlElicitation(initialize) ? await signSessionId(context.caller.config.secretKeys.current, newSessionClaims(context.caller.identity.id, endpoint.key, true, Date.now())) : undefined;
  // A tools/call of a session that can open URLs answers on an SSE stream, so it can ask the
  // client things while it runs; everything else is one JSON answer, as for every client.
  const inClient = session?.url === true && messages.length === 1 && isJSONRPCRequest(messages[0]) && messages[0].method === "tools/call";
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: sessionId === undefined ? undefined : () => sessionId, enableJsonResponse: !inClient });
  const server = createServer(run, db, endpoint, inClient ? transport : null);
  await server.connect(transport);
  if (parsedBody === undefined) return transport.handleRequest(new Request(request.url, { method: "POST", headers: request.headers, body: text }));
  return transport.handleRequest(request, { parsedBody });
}

/** The server for one request; `stream` is the transport to ask the client through, for a call that may. */
function createServer(context: RunContext, db: Database, endpoint: Endpoint, stream: WebStandardStreamableHTTPServerTransport | null): Server {
  const server = new Server({ name: "executor", version }, { capabilities: { tools: {} } });
  const annotations = (title: string) => ({ title, readOnlyHint: false, openWorldHint: true });
  server.setRequestHandler(ListToolsRequestSchema, () =>
    withGenericErrors(async () => ({
      tools: [
        {
          name: "execute",
          description: describeExecute(await integrationsOf(db, endpoint)),
          inputSchema: { type: "object" as const, properties: { code: { type: "string", description: "The program" } }, required: ["code"] },
          outputSchema: EXECUTION_VIEW_SCHEMA as unknown as { type: "object" },
          annotations: annotations("Run code against this organization's integrations"),
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
          // The same shape as execute's; declared once, on execute, to keep tools/list small.
          annotations: annotations("Resume a paused execution"),
        },
      ],
    })),
  );
  server.setRequestHandler(CallToolRequestSchema, (call, extra) =>
    withGenericErrors(async (): Promise<CallToolResult> => {
      const args = (call.params.arguments ?? {}) as Record<string, unknown>;
      const waitMs = context.caller.config.elicitationWaitMs;
      const channel: ClientChannel | null = stream
        ? clientChannel({
            send: (message) => stream.send(message, { relatedRequestId: extra.requestId }),
            db,
            identityId: context.caller.identity.id,
            progressToken: call.params._meta?.progressToken,
            waitMs,
          })
        : null;
      try {
        if (call.params.name === "execute") return toolResult(channel ? await executeInClient(context, channel, waitMs, args.code) : await executeCode(context, args.code));
        if (call.params.name === "resume") {
          await requireStartedHere(db, endpoint, args.executionId);
          const waitSeconds = typeof args.waitSeconds === "number" ? args.waitSeconds : MAX_RESUME_WAIT_MS / 1000;
          // In the client the wait is for the person it is shown to, not a blind 25 s.
          return toolResult(channel ? await resumeInClient(context, channel, waitMs, args.executionId, 0) : await resumeExecution(context, args.executionId, waitSeconds * 1000));
        }
        throw new ExecutorError("not_found", `Unknown tool ${call.params.name}; use execute or resume`);
      } finally {
        await channel?.close();
      }
    }, refusalResult),
  );
  return server;
}

/** The toolkit, if it exists and the caller is one of its members. */
async function openToolkit(db: Database, identity: Identity, slug: string): Promise<{ toolkit: Toolkit; catalogRevision: number }> {
  const revisions = await readRevisions(db);
  const toolkit = await loadToolkit(db, revisions.policies, slug);
  if (!toolkit) throw new ExecutorError("not_found", `No toolkit ${slug}`);
  if (!mayUseToolkit(identity, toolkit.members)) {
    throw new ExecutorError("forbidden", `The toolkit ${slug} is for its members only; an admin can add you (by email, Access group or service token)`);
  }
  return { toolkit, catalogRevision: revisions.catalog };
}

/** The integrations `execute`'s description names: in a toolkit, only those it includes tools of. */
async function integrationsOf(db: Database, endpoint: Endpoint): Promise<IntegrationSummary[]> {
  if (!endpoint.toolkit) return listIntegrationSummaries(db);
  const scope = policyScope([], toolkitPolicy(endpoint.key, endpoint.toolkit.toolkit), []);
  return visibleIntegrations(db, { catalog: endpoint.toolkit.catalogRevision }, scope);
}

/**
 * A toolkit's endpoint resumes only the executions started in it: there, only its tools
 * exist, and another execution (whose own toolkit, or none, would apply) is not found.
 */
async function requireStartedHere(db: Database, endpoint: Endpoint, executionId: unknown): Promise<void> {
  if (!endpoint.toolkit || typeof executionId !== "string") return;
  const record = await loadExecution(db, executionId);
  if (record?.toolkit !== endpoint.key) throw new ExecutorError("not_found", `No execution ${executionId} in the toolkit ${endpoint.key}`);
}

/**
 * The session a request belongs to, or null without one. A session id that is not this
 * server's, not this caller's, not for this endpoint or expired is an unknown session: 404,
 * and the client starts a new one (the exact reason goes to the log only).
 */
async function sessionOf(request: Request, caller: Caller, endpoint: string): Promise<SessionClaims | null> {
  const token = request.headers.get(SESSION_HEADER);
  if (token === null) return null;
  const check = await verifySessionId(caller.config.secretKeys, token, { identityId: caller.identity.id, endpoint }, Date.now());
  if (!check.ok) {
    console.warn(`mcp session refused: ${check.reason}`);
    throw new ExecutorError("not_found", "Unknown or expired MCP session: initialize again, without Mcp-Session-Id");
  }
  return check.claims;
}

/** The client's answers to elicitations: stored for the call waiting on them (only with the session they were sent on). */
async function recordAnswers(db: Database, session: SessionClaims | null, identity: Identity, messages: JSONRPCMessage[]): Promise<void> {
  if (!session?.url) return;
  for (const message of messages) {
    const id = (message as { id?: unknown }).id;
    if (typeof id !== "string" || !id.startsWith(ELICITATION_ID_PREFIX)) continue;
    // An error answer (the client could not show it) counts as dismissed.
    const action = isJSONRPCResultResponse(message) ? (message.result as { action?: unknown }).action : "cancel";
    if (action === "accept" || action === "decline" || action === "cancel") await recordElicitationAnswer(db, id, identity.id, action as ElicitationAction);
  }
}

/** True when `initialize` declares URL-mode elicitation (`capabilities.elicitation.url`). */
function declaresUrlElicitation(initialize: InitializeRequest): boolean {
  const url = (initialize.params.capabilities.elicitation as { url?: unknown } | undefined)?.url;
  return typeof url === "object" && url !== null;
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
  const setUp = view.error?.details as { url?: unknown; integration?: unknown } | undefined;
  if (failed && typeof setUp?.url === "string") {
    lines.unshift(`Needs set-up: ${String(setUp.integration)} has no usable connection for this call. Ask the user to open ${setUp.url}, then run the program again.`);
  }
  return { content: [{ type: "text", text: lines.join("\n") }], structuredContent: view as unknown as Record<string, unknown>, ...(failed ? { isError: true } : {}) };
}
