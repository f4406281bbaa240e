/**
 * /api/policies: the organization's ordered rules (everyone reads; admins write), and
 * /api/me/policies: the caller's personal rules, which only tighten the policy of the
 * executions they own (docs/agents.md, Personal rules).
 *
 * Personal rules are a person's: a service identity has none. Adding one only ever asks for
 * more approvals or blocks more, so any person may, from anywhere. Deleting one loosens, so
 * it is held to what a decision is held to: a person in the console (a same-origin browser
 * request, and with APPROVER_AUD that application's assertion). Otherwise an agent holding
 * the person's token could lift the rules its person set on it.
 */
import { requireApprover, type Identity } from "../auth";
import { database } from "../db";
import { ExecutorError } from "../errors";
import { json } from "../http";
import {
  createPersonalRule,
  createPolicy,
  deletePersonalRule,
  deletePolicy,
  FLOOR_ACTIONS,
  listPersonalRules,
  listPolicies,
  PATTERN_SCHEMA,
  POLICY_ACTIONS,
  updatePolicy,
  type FloorAction,
  type PersonalRule,
  type Policy,
  type PolicyAction,
} from "../policies";
import type { Route } from "./route";
import { listOf, PERSONAL_POLICY, POLICY } from "./schemas";

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

/** The caller's own rules. */
export const PERSONAL_POLICY_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/me/policies",
    summary: "List your personal rules",
    response: { status: 200, description: "Your rules, oldest first (not paged); a service identity has none", schema: listOf(PERSONAL_POLICY) },
    handler: async (request, env) => {
      const items = (await listPersonalRules(database(env.DB), request.caller.identity.id)).map(personalView);
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "POST",
    path: "/api/me/policies",
    summary: "Add a personal rule: your executions must ask before (approve), or never make (block), the calls it matches",
    body: {
      type: "object",
      required: ["pattern", "action"],
      additionalProperties: false,
      properties: { pattern: PATTERN_SCHEMA, action: { enum: [...FLOOR_ACTIONS], description: "Only tightening actions" } },
    },
    response: { status: 201, description: "The new rule", schema: PERSONAL_POLICY },
    handler: async (request, env) => {
      const identity = requirePerson(request.caller.identity);
      const input = request.input as { pattern: string; action: FloorAction };
      return json(personalView(await createPersonalRule(database(env.DB), identity.id, input, Date.now())), 201);
    },
  },
  {
    method: "DELETE",
    path: "/api/me/policies/:id",
    summary: "Delete one of your personal rules (in the console only: Sec-Fetch-Site: same-origin)",
    response: { status: 204, description: "Deleted" },
    handler: async (request, env) => {
      requireApprover(request.caller.identity, request.caller.config);
      if (request.headers.get("sec-fetch-site") !== "same-origin") {
        throw new ExecutorError("forbidden", "Deleting a personal rule loosens it: do it in the Executor console (a same-origin browser request)");
      }
      await deletePersonalRule(database(env.DB), request.caller.identity.id, request.params.id!);
      return new Response(null, { status: 204 });
    },
  },
];

function requirePerson(identity: Identity): Identity {
  if (identity.kind !== "user") throw new ExecutorError("forbidden", "Personal rules belong to people; an agent's toolkit is where its tools are narrowed");
  return identity;
}

function personalView(rule: PersonalRule) {
  return { id: rule.id, pattern: rule.pattern, action: rule.action, createdAt: new Date(rule.createdAt).toISOString() };
}

function policyView(policy: Policy) {
  return { id: policy.id, pattern: policy.pattern, action: policy.action, position: policy.position, createdBy: policy.createdBy, createdAt: new Date(policy.createdAt).toISOString() };
}
