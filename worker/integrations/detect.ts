/**
 * What a URL serves, before it is added: an OpenAPI (or Swagger) document, a Google Discovery
 * document, a GraphQL endpoint, or an MCP server. Probes go through the guarded client and send nothing that
 * could change state (a GET, a `{__typename}` query, an MCP `initialize`).
 */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { guardedFetch, OutboundError } from "../outbound";
import { importGoogleDiscovery, importOpenApi, parseSpecText } from "../sources";
import { MAX_SPEC_BYTES } from "./openapi";

export interface Detection {
  kind: "openapi" | "graphql" | "mcp" | "google";
  name?: string;
  toolCount?: number;
}

/** Detects the kind of source at `url`, or throws `invalid_source`. */
export async function detectSource(url: string, config: Config): Promise<Detection> {
  const options = { allowLocalNetwork: config.allowLocalNetwork, timeoutMs: 15_000 };
  try {
    const document = await guardedFetch({ url, headers: { accept: "application/json, application/yaml, text/yaml, */*" } }, { ...options, maxResponseBytes: MAX_SPEC_BYTES });
    if (document.status >= 200 && document.status < 300) {
      let parsed: unknown;
      try {
        parsed = parseSpecText(document.text());
      } catch {
        // Not a document; try the other kinds.
      }
      if (parsed !== undefined) {
        try {
          const imported = importOpenApi(parsed, { specUrl: url });
          return { kind: "openapi", name: imported.title, toolCount: imported.tools.length };
        } catch {
          // Not an OpenAPI spec; perhaps a Discovery document.
        }
        try {
          const imported = importGoogleDiscovery(parsed);
          return { kind: "google", name: imported.title, toolCount: imported.tools.length };
        } catch {
          // Neither; try the other kinds.
        }
      }
    }
    const graphql = await guardedFetch(
      { url, method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) },
      { ...options, maxResponseBytes: 64 * 1024 },
    );
    if (isJson(graphql.headers) && hasData(graphql.text())) return { kind: "graphql" };
    const mcp = await guardedFetch(
      {
        url,
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "executor-detect", version: "1" } } }),
      },
      { ...options, maxResponseBytes: 64 * 1024 },
    );
    const serverName = /"serverInfo"\s*:\s*\{[^}]*"name"\s*:\s*"([^"]+)"/.exec(mcp.text())?.[1];
    if (serverName || /"protocolVersion"/.test(mcp.text())) return { kind: "mcp", ...(serverName ? { name: serverName } : {}) };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.reason === "invalid_url" || error.reason === "blocked_address") throw new ExecutorError("invalid_source", `Cannot fetch ${url}: ${error.message}`);
    throw new ExecutorError("upstream_unreachable", `Cannot reach ${url}: ${error.message}`);
  }
  throw new ExecutorError("invalid_source", `${url} serves neither an OpenAPI or Google Discovery document, a GraphQL endpoint nor an MCP server`);
}

function isJson(headers: Headers): boolean {
  return /json/i.test(headers.get("content-type") ?? "");
}

function hasData(text: string): boolean {
  try {
    const body = JSON.parse(text) as { data?: unknown };
    return body !== null && typeof body === "object" && "data" in body;
  } catch {
    return false;
  }
}
