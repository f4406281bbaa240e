/**
 * /api/tools: the catalog for people, with each tool's effective policy for the caller (the
 * organization's rules tightened by the caller's own), or as a toolkit shows it
 * (`?toolkit=`). Admins also see blocked tools, to unblock them.
 */
import { isAdmin, type Identity } from "../auth";
import { getTool, renderSignature, visibleTools } from "../catalog";
import { database, readRevisions, type Database } from "../db";
import { ExecutorError, invalidRequest } from "../errors";
import { json, pageOf } from "../http";
import { effectivePolicy, inScope, loadPolicyScope, patternProblem, type PolicyScope } from "../policies";
import { getToolkit, toolkitPolicy } from "../toolkits";
import type { Route } from "./route";
import { pageInput } from "./route-input";
import { listOf, PAGE_QUERY, TOOL, TOOL_SUMMARY } from "./schemas";

const TOOLKIT_QUERY = {
  name: "toolkit",
  schema: { type: "string" },
  description: "As this toolkit shows it: only the tools it includes, with its rules applied",
} as const;

export const TOOL_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/tools",
    summary: "Search the catalog",
    query: [
      { name: "q", schema: { type: "string" }, description: "Words to search for (empty: every tool)" },
      { name: "integration", schema: { type: "string" }, description: "Only this integration's tools" },
      {
        name: "pattern",
        // Checked below by patternProblem, whose words the console shows as they are.
        schema: { type: "string" },
        description: "Only the tools this policy pattern matches (the console's \"matches N tools\"): segments are names or *, separated by dots",
      },
      TOOLKIT_QUERY,
      ...PAGE_QUERY,
    ],
    response: { status: 200, description: "A page of tools, best match first; blocked tools only for admins", schema: listOf(TOOL_SUMMARY) },
    handler: async (request, env) => {
      const page = pageInput(request);
      const db = database(env.DB);
      // Present means checked, even when empty: an empty pattern matches nothing, which is a mistake.
      const pattern = request.queryInput.pattern as string | undefined;
      const problem = pattern === undefined ? null : patternProblem(pattern);
      if (problem) throw invalidRequest([{ field: "pattern", problem }]);
      const revisions = await readRevisions(db);
      const scope = await scopeFor(db, revisions.policies, request.caller.identity, queryText(request.queryInput.toolkit));
      const { items, total } = await visibleTools(
        db,
        revisions,
        { query: queryText(request.queryInput.q), integration: queryText(request.queryInput.integration), pattern, includeBlocked: isAdmin(request.caller.identity), ...page },
        scope,
      );
      return json(
        pageOf(
          items.map(({ hit, defaultPolicy, policy }) => ({
            address: hit.address,
            integration: hit.integration,
            description: hit.summary,
            defaultPolicy,
            policy: policy.action,
            policyRule: policy.ruleId,
          })),
          total,
          page,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/api/tools/:address",
    summary: "Describe one tool",
    query: [TOOLKIT_QUERY],
    response: { status: 200, description: "The tool: its schemas in and out, TypeScript signature, default and effective policy", schema: TOOL },
    handler: async (request, env) => {
      const db = database(env.DB);
      const address = decodeParam(request.params.address!);
      const revisions = await readRevisions(db);
      const [tool, scope] = await Promise.all([getTool(db, address, revisions.catalog), scopeFor(db, revisions.policies, request.caller.identity, queryText(request.queryInput.toolkit))]);
      const policy = tool && inScope(tool.address, scope) ? effectivePolicy(tool.address, scope, tool.defaultPolicy) : null;
      if (!tool || !policy || (policy.action === "block" && !isAdmin(request.caller.identity))) throw new ExecutorError("not_found", `No tool ${address}`);
      return json({
        address: tool.address,
        integration: tool.integration,
        description: tool.description,
        input: tool.inputSchema,
        output: tool.outputSchema,
        typescript: renderSignature(tool.address, tool.inputSchema, tool.outputSchema ?? undefined),
        defaultPolicy: tool.defaultPolicy,
        policy: policy.action,
        policyRule: policy.ruleId,
      });
    },
  },
];

/** The caller's policy scope: their own rules, in the toolkit named (an unknown one is 404). */
async function scopeFor(db: Database, revision: number, identity: Identity, toolkit: string | undefined): Promise<PolicyScope> {
  const policy = toolkit === undefined ? null : toolkitPolicy(toolkit, await getToolkit(db, toolkit));
  return loadPolicyScope(db, revision, { ownerId: identity.id, toolkit: policy });
}

/** An empty text parameter means "no filter". */
function queryText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A path segment as sent; a malformed percent-encoding is the caller's mistake, not ours. */
function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ExecutorError("invalid_request", "The path holds a malformed percent-encoding", { details: [{ field: "address", problem: "malformed percent-encoding" }] });
  }
}
