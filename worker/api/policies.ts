/** /api/policies: the ordered rules. Everyone reads; admins write. */
import { database } from "../db";
import { json } from "../http";
import { createPolicy, deletePolicy, listPolicies, PATTERN_SCHEMA, POLICY_ACTIONS, updatePolicy, type Policy, type PolicyAction } from "../policies";
import type { Route } from "./route";
import { listOf, POLICY } from "./schemas";

const policyFields = {
  pattern: PATTERN_SCHEMA,
  action: { enum: [...POLICY_ACTIONS] },
  position: { type: "integer", minimum: 0, description: "Where the rule goes (0 first); positions stay 0..n-1" },
};

interface PolicyInput {
  pattern?: string;
  action?: PolicyAction;
  position?: number;
}

export const POLICY_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/policies",
    summary: "List policy rules in order",
    response: { status: 200, description: "Every rule, first to last (not paged)", schema: listOf(POLICY) },
    handler: async (_request, env) => {
      const items = (await listPolicies(database(env.DB))).map(policyView);
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "POST",
    path: "/api/policies",
    summary: "Add a policy rule (admins)",
    admin: true,
    response: { status: 201, description: "The new rule", schema: POLICY },
    body: { type: "object", required: ["pattern", "action"], additionalProperties: false, properties: policyFields },
    handler: async (request, env) => {
      const input = request.input as unknown as Required<Pick<PolicyInput, "pattern" | "action">> & PolicyInput;
      return json(policyView(await createPolicy(database(env.DB), input, request.caller.identity.id, Date.now())), 201);
    },
  },
  {
    method: "PATCH",
    path: "/api/policies/:id",
    summary: "Change or move a policy rule (admins)",
    admin: true,
    response: { status: 200, description: "The rule as changed", schema: POLICY },
    body: { type: "object", additionalProperties: false, properties: policyFields },
    handler: async (request, env) => json(policyView(await updatePolicy(database(env.DB), request.params.id!, request.input as PolicyInput, Date.now()))),
  },
  {
    method: "DELETE",
    path: "/api/policies/:id",
    summary: "Delete a policy rule (admins)",
    admin: true,
    response: { status: 204, description: "Deleted; the rules after it move up" },
    handler: async (request, env) => {
      await deletePolicy(database(env.DB), request.params.id!, Date.now());
      return new Response(null, { status: 204 });
    },
  },
];

function policyView(policy: Policy) {
  return { id: policy.id, pattern: policy.pattern, action: policy.action, position: policy.position, createdBy: policy.createdBy, createdAt: new Date(policy.createdAt).toISOString() };
}
