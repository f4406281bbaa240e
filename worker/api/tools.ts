/** /api/tools: the catalog for people. Admins also see blocked tools, to unblock them. */
import { isAdmin } from "../auth";
import { getTool, renderSignature, visibleTools } from "../catalog";
import { database, readRevisions } from "../db";
import { ExecutorError, invalidRequest } from "../errors";
import { json, pageOf, readPage } from "../http";
import { decidePolicy, loadPolicies, patternProblem } from "../policies";
import type { Route } from "./route";

export const TOOL_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/tools",
    summary: "Search the catalog (?q=&integration=&pattern=&limit=&offset=)",
    handler: async (request, env) => {
      const page = readPage(request.query);
      const db = database(env.DB);
      // Present means checked, even when empty: an empty pattern matches nothing, which is a mistake.
      const pattern = Array.isArray(request.query.pattern) ? request.query.pattern[0] : request.query.pattern;
      const problem = pattern === undefined ? null : patternProblem(pattern);
      if (problem) throw invalidRequest([{ field: "pattern", problem }]);
      const { items, total } = await visibleTools(db, await readRevisions(db), {
        query: queryText(request.query.q),
        integration: queryText(request.query.integration),
        pattern,
        includeBlocked: isAdmin(request.caller.identity),
        ...page,
      });
      return json(
        pageOf(
          items.map(({ entry, policy }) => ({
            address: entry.address,
            integration: entry.integration,
            description: entry.description,
            defaultPolicy: entry.defaultPolicy,
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
    handler: async (request, env) => {
      const db = database(env.DB);
      const address = decodeParam(request.params.address!);
      const revisions = await readRevisions(db);
      const [tool, rules] = await Promise.all([getTool(db, address, revisions.catalog), loadPolicies(db, revisions.policies)]);
      const policy = tool ? decidePolicy(tool.address, rules, tool.defaultPolicy) : null;
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

function queryText(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === "" ? undefined : text;
}

/** A path segment as sent; a malformed percent-encoding is the caller's mistake, not ours. */
function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ExecutorError("invalid_request", "The path holds a malformed percent-encoding", { details: [{ field: "address", problem: "malformed percent-encoding" }] });
  }
}
