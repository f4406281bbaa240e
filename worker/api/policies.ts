/** /api/policies: the ordered rules. Everyone reads; admins write. */
import { requireAdmin } from "../auth";
import { database } from "../db";
import { ApiError, json, readJsonObject } from "../http";
import { createPolicy, deletePolicy, listPolicies, patternProblem, POLICY_ACTIONS, updatePolicy, type Policy, type PolicyAction } from "../policies";
import type { ApiHandler } from "./context";

export const listPoliciesRoute: ApiHandler = async (_request, env) => {
  const items = (await listPolicies(database(env.DB))).map(policyView);
  return json({ items, total: items.length, nextOffset: null });
};

export const createPolicyRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  const input = readPolicyInput(await readJsonObject(request), true);
  const policy = await createPolicy(database(env.DB), input as { pattern: string; action: PolicyAction; position?: number }, request.caller.identity.id, Date.now());
  return json(policyView(policy), 201);
};

export const updatePolicyRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  const input = readPolicyInput(await readJsonObject(request), false);
  return json(policyView(await updatePolicy(database(env.DB), request.params.id!, input, Date.now())));
};

export const deletePolicyRoute: ApiHandler = async (request, env) => {
  requireAdmin(request.caller.identity);
  await deletePolicy(database(env.DB), request.params.id!, Date.now());
  return new Response(null, { status: 204 });
};

function readPolicyInput(body: Record<string, unknown>, creating: boolean): { pattern?: string; action?: PolicyAction; position?: number } {
  const problems: { field: string; problem: string }[] = [];
  const { pattern, action, position } = body;
  if (pattern !== undefined || creating) {
    const problem = typeof pattern === "string" ? patternProblem(pattern) : "required string";
    if (problem) problems.push({ field: "pattern", problem });
  }
  if (action !== undefined || creating) {
    if (!POLICY_ACTIONS.includes(action as PolicyAction)) problems.push({ field: "action", problem: `one of ${POLICY_ACTIONS.join(", ")}` });
  }
  if (position !== undefined && (typeof position !== "number" || !Number.isInteger(position) || position < 0)) {
    problems.push({ field: "position", problem: "a non-negative integer" });
  }
  if (problems.length > 0) throw new ApiError("invalid_request", problems.map((p) => `${p.field}: ${p.problem}`).join("; "), { details: problems });
  return {
    ...(pattern !== undefined ? { pattern: pattern as string } : {}),
    ...(action !== undefined ? { action: action as PolicyAction } : {}),
    ...(position !== undefined ? { position: position as number } : {}),
  };
}

function policyView(policy: Policy) {
  return { id: policy.id, pattern: policy.pattern, action: policy.action, position: policy.position, createdBy: policy.createdBy, createdAt: new Date(policy.createdAt).toISOString() };
}
