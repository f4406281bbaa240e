/**
 * Calls an OpenAPI operation: build the request from the arguments, add the connection's
 * credentials, send it through the guarded client, and turn the answer into data or a tool
 * error. Credentials go only to the integration's origin; any stored secret the upstream
 * echoes back is redacted before the program sees it.
 */
import { ToolError, type InvokeContext, type Tool } from "../catalog";
import { connectionNeedsUpdate, forgetToken, markConnectionUsed, redactSecrets } from "../connections";
import { schema } from "../db";
import type { IntegrationRow } from "../db/schema";
import { eq } from "drizzle-orm";
import { guardedFetch, OutboundError } from "../outbound";
import { callCredentials } from "./call-credentials";
import { buildRequest, type OpenApiInvocation, type SecurityScheme } from "./openapi";

const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const ERROR_BODY_CHARS = 2_000;

/** Invokes an OpenAPI tool with already-validated arguments. */
export async function invokeOpenApi(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  const { db, caller } = context;
  const integration = await loadIntegration(db, tool.integration);
  if (!integration?.baseUrl) throw new ToolError("tool_not_found", `The integration ${tool.integration} is gone`);
  const schemes = ((integration.config?.securitySchemes ?? {}) as Record<string, SecurityScheme>) ?? {};
  const invocation = tool.invocation as OpenApiInvocation;

  const { connection, auth } = await callCredentials(db, caller, integration, context.connectionName, schemes, invocation.security);
  const needsCredentials = invocation.security.length > 0 && !invocation.security.some((requirement) => requirement.length === 0);
  if (!connection && needsCredentials) {
    throw new ToolError("no_connection", `${tool.address} needs credentials: add a connection to ${tool.integration} (POST /api/integrations/${tool.integration}/connections)`);
  }

  const request = buildRequest(invocation, integration.baseUrl, args);
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  const headers: Record<string, string> = { accept: "application/json, */*;q=0.5", ...request.headers, ...auth.headers };
  const cookies = Object.entries(auth.cookies).map(([name, value]) => `${name}=${value}`);
  if (cookies.length > 0) headers.cookie = [headers.cookie, ...cookies].filter(Boolean).join("; ");

  let response;
  try {
    response = await guardedFetch(
      { url: url.href, method: request.method, headers, body: request.body },
      {
        allowLocalNetwork: caller.config.allowLocalNetwork,
        maxResponseBytes: MAX_RESPONSE_BYTES,
        credentials: { origin: new URL(integration.baseUrl).origin, headers: Object.keys(auth.headers), queryParams: Object.keys(auth.query) },
      },
    );
  } catch (error) {
    if (error instanceof OutboundError) {
      throw new ToolError(error.reason === "timeout" ? "upstream_timeout" : "upstream_error", redactSecrets(`${tool.address}: ${error.message}`, auth.secrets));
    }
    throw error;
  }

  if (response.status === 401 || response.status === 403) {
    if (connection) {
      forgetToken(connection.id);
      await markConnectionUsed(db, connection.id, "rejected", Date.now());
    }
    throw new ToolError("connection_rejected", `${tool.integration} refused the ${connection ? `connection ${connection.name}` : "anonymous call"} (HTTP ${response.status})`, {
      status: response.status,
      details: redactSecrets(trimmedBody(response.text()), auth.secrets),
    });
  }
  if (response.status < 200 || response.status >= 300) {
    throw new ToolError("upstream_error", `${tool.address} answered HTTP ${response.status}`, {
      status: response.status,
      details: redactSecrets(trimmedBody(response.text()), auth.secrets),
    });
  }
  if (connection && connectionNeedsUpdate(connection, "ok", Date.now())) await markConnectionUsed(db, connection.id, "ok", Date.now());
  return redactSecrets(parseBody(response), auth.secrets);
}

const INTEGRATION_CACHE_MS = 5_000;
const integrations = new Map<string, { row: IntegrationRow | undefined; at: number }>();

/**
 * The integration row (base URL, security schemes), cached briefly per isolate: it changes
 * only on refresh or edit, and a few seconds of staleness cannot move credentials anywhere
 * new (the base URL's origin is also what the outbound guard binds credentials to).
 */
async function loadIntegration(db: InvokeContext["db"], slug: string): Promise<IntegrationRow | undefined> {
  const cached = integrations.get(slug);
  if (cached && Date.now() - cached.at < INTEGRATION_CACHE_MS) return cached.row;
  const row = await db.select().from(schema.integrations).where(eq(schema.integrations.slug, slug)).get();
  integrations.set(slug, { row, at: Date.now() });
  return row;
}

function parseBody(response: { status: number; headers: Headers; text(): string; json(): unknown; body: Uint8Array }): unknown {
  if (response.status === 204 || response.body.length === 0) return null;
  const type = response.headers.get("content-type") ?? "";
  if (/json/i.test(type)) {
    try {
      return response.json();
    } catch {
      return response.text();
    }
  }
  return response.text();
}

function trimmedBody(text: string): string {
  return text.length > ERROR_BODY_CHARS ? `${text.slice(0, ERROR_BODY_CHARS)}…` : text;
}

