/**
 * Sources: where tools come from and how they are called. Each kind of integration
 * (built-in, and later OpenAPI, GraphQL, MCP) provides an invoker; this module picks it.
 */
import { ToolError, type InvokeContext, type Tool } from "../catalog";
import { BUILTIN_INTEGRATION } from "./builtin/definitions";
import { invokeBuiltin } from "./builtin/invoke";
import { invokeGraphql } from "./graphql-source";
import { invokeMcp } from "./mcp-source";
import { invokeOpenApi } from "./openapi-source";

export { BUILTIN_INTEGRATION, BUILTIN_TOOLS } from "./builtin/definitions";

/** Calls a tool whose arguments were already validated and whose policy allowed it. */
export async function invokeTool(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  if (tool.integration === BUILTIN_INTEGRATION) return invokeBuiltin(tool, args, context);
  // Each source's invocation data has its own shape; the stored tool says which it is.
  const invocation = (tool.invocation ?? {}) as { method?: unknown; document?: unknown; toolName?: unknown };
  if (typeof invocation.method === "string") return invokeOpenApi(tool, args, context);
  if (typeof invocation.document === "string") return invokeGraphql(tool, args, context);
  if (typeof invocation.toolName === "string") return invokeMcp(tool, args, context);
  throw new ToolError("tool_not_found", `No source can call ${tool.address}`);
}
