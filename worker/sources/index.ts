/**
 * Sources: where tools come from and how they are called. Each kind of integration (OpenAPI,
 * GraphQL, upstream MCP, Google Discovery) converts its upstream's description into tools and
 * provides an invoker (Google's tools have the OpenAPI shape and use its invoker); this module picks the invoker by the shape of a tool's stored invocation.
 */
import type { FullResponse, InvokeContext, Tool } from "../catalog";
import { ExecutorError } from "../errors";
import { invokeGraphql } from "./graphql-source";
import { invokeMcp } from "./mcp-source";
import { invokeOpenApi } from "./openapi-source";

/** Calls a stored tool whose arguments were already validated and whose policy allowed it. */
export async function invokeTool(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  // Each source's invocation data has its own shape; the stored tool says which it is.
  const invocation = (tool.invocation ?? {}) as { method?: unknown; document?: unknown; toolName?: unknown };
  if (typeof invocation.method === "string") return invokeOpenApi(tool, args, context);
  if (typeof invocation.document === "string") return invokeGraphql(tool, args, context);
  if (typeof invocation.toolName === "string") {
    // An MCP tool's result is not an HTTP answer: the full form has no status or headers.
    const data = await invokeMcp(tool, args, context);
    return context.response === "full" ? ({ data: data ?? null, status: null, headers: {} } satisfies FullResponse) : data;
  }
  throw new ExecutorError("tool_not_found", `No source can call ${tool.address}`);
}

export { callBinding, builtinBinding } from "./call-binding";

// The converters, for integrations/ to read each kind of source.
export { importOpenApi, parseSpecText, SpecError, PathFilterError, oauthEndpointsOf, type OpenApiImport, type SecurityScheme, type PathFilter } from "./openapi";
export { importGraphql, GraphqlSchemaError, INTROSPECTION_QUERY, introspectionFromSdl } from "./graphql";
export { importGoogleDiscovery, type GoogleImport } from "./google";
export { checkMcpUrl, listMcpTools, McpSourceError } from "./mcp";
