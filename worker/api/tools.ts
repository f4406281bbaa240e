/**
 * /api/tools: the catalog for people. Admins also see blocked tools, to unblock them.
 * `pattern` keeps the tools a policy pattern matches (the console's "matches N tools" reads
 * `total`), with the matcher that applies the rules, so no copy of it lives elsewhere.
 */
import { isAdmin } from "../auth";
import { catalogIndex, getTool, rankEntries, renderSignature } from "../catalog";
import { database, readRevisions } from "../db";
import { ApiError, json, pageOf, readPage } from "../http";
import { decidePolicy, loadPolicies, patternMatches, patternProblem } from "../policies";
import type { ApiHandler } from "./context";

export const listToolsRoute: ApiHandler = async (request, env) => {
  const page = readPage(request.query);
  const db = database(env.DB);
  const revisions = await readRevisions(db);
  const [entries, rules] = await Promise.all([catalogIndex(db, revisions.catalog), loadPolicies(db, revisions.policies)]);
  const integration = request.query.integration as string | undefined;
  const pattern = readPattern(request.query.pattern);
  const admin = isAdmin(request.caller.identity);
  const ranked = rankEntries(
    entries.filter((entry) => (!integration || entry.integration === integration) && (pattern === null || patternMatches(pattern, entry.address))),
    (request.query.q as string | undefined) ?? "",
  )
    .map((entry) => ({ entry, policy: decidePolicy(entry.address, rules, entry.defaultPolicy) }))
    .filter(({ policy }) => admin || policy.action !== "block");
  const items = ranked.slice(page.offset, page.offset + page.limit).map(({ entry, policy }) => ({
    address: entry.address,
    integration: entry.integration,
    description: entry.description,
    defaultPolicy: entry.defaultPolicy,
    policy: policy.action,
    policyRule: policy.ruleId,
  }));
  return json(pageOf(items, ranked.length, page));
};

export const getToolRoute: ApiHandler = async (request, env) => {
  const db = database(env.DB);
  const address = decodeURIComponent(request.params.address!);
  const revisions = await readRevisions(db);
  const [tool, rules] = await Promise.all([getTool(db, address, revisions.catalog), loadPolicies(db, revisions.policies)]);
  const policy = tool ? decidePolicy(tool.address, rules, tool.defaultPolicy) : null;
  if (!tool || !policy || (policy.action === "block" && !isAdmin(request.caller.identity))) throw new ApiError("not_found", `No tool ${address}`);
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
};

/** The `pattern` filter, or null without one; a malformed pattern is `invalid_request`. */
function readPattern(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  const pattern = Array.isArray(value) ? value[0]! : value;
  const problem = patternProblem(pattern);
  if (problem) throw new ApiError("invalid_request", `pattern: ${problem}`, { details: [{ field: "pattern", problem }] });
  return pattern;
}
