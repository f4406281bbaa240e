/**
 * Toolkits: named slices of the catalog, each with its own MCP endpoint
 * (`/mcp/toolkits/<slug>`), rules that only tighten the policy there, and who may use it.
 * docs/agents.md, Toolkits.
 */
export { loadToolkit, listToolkits, getToolkit, createToolkit, updateToolkit, deleteToolkit, toolkitPolicy, TOOLKIT_SLUG_PATTERN, type Toolkit, type ToolkitInput } from "./store";
export { mayUseToolkit } from "./membership";
