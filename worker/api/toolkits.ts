/**
 * /api/toolkits: named slices of the catalog, each with its own MCP endpoint
 * (docs/agents.md, Toolkits). Everyone reads them, with the endpoint's URL and whether they
 * may use it; admins write.
 */
import type { Identity } from "../auth";
import { database } from "../db";
import { json } from "../http";
import { createToolkit, deleteToolkit, getToolkit, listToolkits, mayUseToolkit, updateToolkit, type Toolkit, type ToolkitInput } from "../toolkits";
import type { ApiRequest, Route } from "./route";
import { listOf, NEW_TOOLKIT, TOOLKIT, TOOLKIT_CHANGE } from "./schemas";

export const TOOLKIT_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/toolkits",
    summary: "List toolkits",
    response: { status: 200, description: "Every toolkit, by slug (not paged)", schema: listOf(TOOLKIT) },
    handler: async (request, env) => {
      const items = (await listToolkits(database(env.DB))).map((toolkit) => toolkitView(toolkit, request));
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "POST",
    path: "/api/toolkits",
    summary: "Add a toolkit (admins)",
    admin: true,
    body: NEW_TOOLKIT,
    response: { status: 201, description: "The toolkit, with its MCP URL", schema: TOOLKIT },
    handler: async (request, env) => {
      const input = request.input as unknown as ToolkitInput & { slug: string };
      return json(toolkitView(await createToolkit(database(env.DB), input, request.caller.identity.id, Date.now()), request), 201);
    },
  },
  {
    method: "GET",
    path: "/api/toolkits/:slug",
    summary: "Read a toolkit",
    response: { status: 200, description: "The toolkit, with its MCP URL", schema: TOOLKIT },
    handler: async (request, env) => json(toolkitView(await getToolkit(database(env.DB), request.params.slug!), request)),
  },
  {
    method: "PATCH",
    path: "/api/toolkits/:slug",
    summary: "Change a toolkit (admins)",
    admin: true,
    body: TOOLKIT_CHANGE,
    response: { status: 200, description: "The toolkit as changed", schema: TOOLKIT },
    handler: async (request, env) =>
      json(toolkitView(await updateToolkit(database(env.DB), request.params.slug!, request.input as Partial<ToolkitInput>, Date.now()), request)),
  },
  {
    method: "DELETE",
    path: "/api/toolkits/:slug",
    summary: "Remove a toolkit (admins)",
    admin: true,
    response: { status: 204, description: "Removed; executions started in it keep its name, and resuming one can call no tool" },
    handler: async (request, env) => {
      await deleteToolkit(database(env.DB), request.params.slug!);
      return new Response(null, { status: 204 });
    },
  },
];

function toolkitView(toolkit: Toolkit, request: ApiRequest) {
  const identity: Identity = request.caller.identity;
  return {
    slug: toolkit.slug,
    name: toolkit.name,
    description: toolkit.description,
    include: toolkit.include,
    policies: toolkit.policies,
    members: toolkit.members,
    mcpUrl: `${new URL(request.url).origin}/mcp/toolkits/${toolkit.slug}`,
    mayUse: mayUseToolkit(identity, toolkit.members),
    createdBy: toolkit.createdBy,
    createdAt: new Date(toolkit.createdAt).toISOString(),
    updatedAt: new Date(toolkit.updatedAt).toISOString(),
  };
}
