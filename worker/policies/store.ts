/**
 * Policy rules in D1, and the per-isolate cache of them. Every write renumbers positions
 * 0..n-1 and bumps the `policies` revision in the same batch, so every isolate sees the new
 * rules on its next execution.
 */
import { asc, eq } from "drizzle-orm";
import { bumpRevision, schema, type Database } from "../db";
import { ExecutorError, invalidRequest } from "../errors";
import { patternProblem, type PolicyAction, type PolicyRule } from "./match";

export interface Policy extends PolicyRule {
  position: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

let cached: { revision: number; rules: Policy[] } | undefined;

/** The ordered rules, from the cache when `revision` is unchanged. */
export async function loadPolicies(db: Database, revision: number): Promise<Policy[]> {
  if (cached && cached.revision === revision) return cached.rules;
  const rules = await listPolicies(db);
  cached = { revision, rules };
  return rules;
}

/** Every rule in order, straight from D1. */
export async function listPolicies(db: Database): Promise<Policy[]> {
  const rows = await db.select().from(schema.policies).orderBy(asc(schema.policies.position), asc(schema.policies.createdAt));
  return rows.map((row) => ({ ...row }));
}

/** Inserts a rule at `position` (default: last). */
export async function createPolicy(
  db: Database,
  input: { pattern: string; action: PolicyAction; position?: number },
  createdBy: string,
  now: number,
): Promise<Policy> {
  checkPattern(input.pattern);
  const rules = await listPolicies(db);
  const policy: Policy = {
    id: `pol_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`,
    pattern: input.pattern,
    action: input.action,
    position: 0,
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
  const at = clampPosition(input.position, rules.length);
  rules.splice(at, 0, policy);
  await saveOrder(db, rules, policy, now);
  return { ...policy, position: at };
}

/** Changes a rule's pattern, action or position. */
export async function updatePolicy(
  db: Database,
  id: string,
  input: { pattern?: string; action?: PolicyAction; position?: number },
  now: number,
): Promise<Policy> {
  if (input.pattern !== undefined) checkPattern(input.pattern);
  const rules = await listPolicies(db);
  const index = rules.findIndex((rule) => rule.id === id);
  if (index < 0) throw new ExecutorError("not_found", `No policy ${id}`);
  const [rule] = rules.splice(index, 1);
  const updated: Policy = { ...rule!, ...definedOnly({ pattern: input.pattern, action: input.action }), updatedAt: now };
  const at = input.position === undefined ? index : clampPosition(input.position, rules.length);
  rules.splice(at, 0, updated);
  await saveOrder(db, rules, updated, now);
  return { ...updated, position: at };
}

/** Removes a rule. */
export async function deletePolicy(db: Database, id: string, now: number): Promise<void> {
  const rules = await listPolicies(db);
  const index = rules.findIndex((rule) => rule.id === id);
  if (index < 0) throw new ExecutorError("not_found", `No policy ${id}`);
  rules.splice(index, 1);
  await db.batch([db.delete(schema.policies).where(eq(schema.policies.id, id)), ...renumber(db, rules, now), bumpRevision(db, "policies")]);
}

async function saveOrder(db: Database, rules: Policy[], changed: Policy, now: number): Promise<void> {
  const position = rules.indexOf(changed);
  await db.batch([
    db
      .insert(schema.policies)
      .values({ ...changed, position })
      .onConflictDoUpdate({
        target: schema.policies.id,
        set: { pattern: changed.pattern, action: changed.action, position, updatedAt: now },
      }),
    ...renumber(db, rules.filter((rule) => rule !== changed), now, rules),
    bumpRevision(db, "policies"),
  ]);
}

function renumber(db: Database, rules: Policy[], now: number, order: Policy[] = rules) {
  return rules
    .filter((rule) => rule.position !== order.indexOf(rule))
    .map((rule) => db.update(schema.policies).set({ position: order.indexOf(rule), updatedAt: now }).where(eq(schema.policies.id, rule.id)));
}

/** The one check of a pattern's syntax, whoever writes the rule (the API, a program). */
function checkPattern(pattern: string): void {
  const problem = patternProblem(pattern);
  if (problem) throw invalidRequest([{ field: "pattern", problem }]);
}

function clampPosition(position: number | undefined, length: number): number {
  if (position === undefined) return length;
  return Math.max(0, Math.min(length, Math.floor(position)));
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
