/**
 * Personal rules in D1: each person's own floors over the executions they own
 * (docs/agents.md, Personal rules), and the per-isolate cache of all of them. A write bumps
 * the `policies` revision in the same batch, so every isolate sees it on its next execution.
 *
 * Who may write them is the API's call (api/me.ts); this module only keeps each rule with its
 * owner, so one person's rules can never be listed, deleted or applied as another's.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { bumpRevision, schema, type Database } from "../db";
import { ExecutorError, invalidRequest } from "../errors";
import type { FloorAction, PolicyFloor } from "./effective";
import { patternProblem } from "./match";

/** Enough for any person's habits; it keeps one person from growing every isolate's cache without bound. */
export const MAX_PERSONAL_RULES = 100;

export interface PersonalRule extends PolicyFloor {
  owner: string;
  createdAt: number;
}

let cached: { revision: number; byOwner: Map<string, PersonalRule[]> } | undefined;

/** The owner's rules, from the cache when `revision` is unchanged. */
export async function loadPersonalRules(db: Database, revision: number, owner: string): Promise<PersonalRule[]> {
  if (!cached || cached.revision !== revision) {
    const rows = await db.select().from(schema.personalPolicies).orderBy(asc(schema.personalPolicies.createdAt), asc(schema.personalPolicies.id));
    const byOwner = new Map<string, PersonalRule[]>();
    for (const row of rows) byOwner.set(row.owner, [...(byOwner.get(row.owner) ?? []), { ...row }]);
    cached = { revision, byOwner };
  }
  return cached.byOwner.get(owner) ?? [];
}

/** The owner's rules, oldest first, straight from D1. */
export async function listPersonalRules(db: Database, owner: string): Promise<PersonalRule[]> {
  const rows = await db
    .select()
    .from(schema.personalPolicies)
    .where(eq(schema.personalPolicies.owner, owner))
    .orderBy(asc(schema.personalPolicies.createdAt), asc(schema.personalPolicies.id));
  return rows.map((row) => ({ ...row }));
}

/** Adds a rule for `owner`. */
export async function createPersonalRule(db: Database, owner: string, input: { pattern: string; action: FloorAction }, now: number): Promise<PersonalRule> {
  const problem = patternProblem(input.pattern);
  if (problem) throw invalidRequest([{ field: "pattern", problem }]);
  const [existing] = await db.select({ n: sql<number>`count(*)` }).from(schema.personalPolicies).where(eq(schema.personalPolicies.owner, owner));
  if ((existing?.n ?? 0) >= MAX_PERSONAL_RULES) throw new ExecutorError("conflict", `You already have ${MAX_PERSONAL_RULES} personal rules; delete one first`);
  const rule: PersonalRule = { id: `ppol_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`, owner, pattern: input.pattern, action: input.action, createdAt: now };
  await db.batch([db.insert(schema.personalPolicies).values(rule), bumpRevision(db, "policies")]);
  return rule;
}

/** Deletes one of `owner`'s rules; another person's rule is as absent as a missing one. */
export async function deletePersonalRule(db: Database, owner: string, id: string): Promise<void> {
  const [deleted] = await db.batch([
    db.delete(schema.personalPolicies).where(and(eq(schema.personalPolicies.id, id), eq(schema.personalPolicies.owner, owner))),
    bumpRevision(db, "policies"),
  ]);
  if (deleted.meta.changes !== 1) throw new ExecutorError("not_found", `You have no personal rule ${id}`);
}
