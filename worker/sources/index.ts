/**
 * Sources: where tools come from and how they are called. Each kind of integration
 * (built-in, and later OpenAPI, GraphQL, MCP) provides an invoker; this module picks it.
 */
import { ToolError, type InvokeContext, type Tool } from "../catalog";
import { BUILTIN_INTEGRATION } from "./builtin/definitions";
import { invokeBuiltin } from "./builtin/invoke";
import { invokeOpenApi } from "./openapi-source";

export { BUILTIN_INTEGRATION, BUILTIN_TOOLS } from "./builtin/definitions";

/** Calls a tool whose arguments were already validated and whose policy allowed it. */
export async function invokeTool(tool: Tool, args: Record<string, unknown>, context: InvokeContext): Promise<unknown> {
  if (tool.integration === BUILTIN_INTEGRATION) return invokeBuiltin(tool, args, context);
  const invocation = tool.invocation as { method?: unknown } | null;
  if (invocation && typeof invocation.method === "string") return invokeOpenApi(tool, args, context);
  throw new ToolError("tool_not_found", `No source can call ${tool.address}`);
}
