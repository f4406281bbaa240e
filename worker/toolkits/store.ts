/**
 * Toolkits in D1 and the per-isolate cache of them. A toolkit is a named slice of the catalog
 * with its own MCP endpoint: the tools its `include` patterns match, the rules that tighten
 * the policy there, and who may use it (docs/agents.md, Toolkits). Every write bumps the
 * `policies` revision in the same batch: what a toolkit includes and forbids is policy, so
 * every isolate must see the change on its next execution.
 */
import { asc, eq } from "drizzle-orm";
import { bumpRevision, schema, type Database, type ToolkitMembers, type ToolkitRow, type ToolkitRule } from "../db";
import { ExecutorError, invalidRequest, type FieldProblem } from "../errors";
import { patternProblem, type ToolkitPolicy } from "../policies";

/** A toolkit's slug, as a JSON Schema `pattern`: it appears in its URL and in client names. */
export const TOOLKIT_SLUG_PATTERN = "^[a-z0-9][a-z0-9_-]{0,39}$";
const SLUG = new RegExp(TOOLKIT_SLUG_PATTERN);

export type Toolkit = ToolkitRow;

export interface ToolkitInput {
  name: string;
  description?: string | null;
  include: string[];
  policies?: ToolkitRule[];
  members?: ToolkitMembers | null;
}

let cached: { revision: number; bySlug: Map<string, Toolkit> } | undefined;

/** One toolkit from the cache for `revision`, or null. */
export async function loadToolkit(db: Database, revision: number, slug: string): Promise<Toolkit | null> {
  if (!cached || cached.revision !== revision) {
    const rows = await listToolkits(db);
    cached = { revision, bySlug: new Map(rows.map((row) => [row.slug, row])) };
  }
  return cached.bySlug.get(slug) ?? null;
}

/** What the policy needs of a toolkit. One that was deleted includes nothing: its executions can call nothing more. */
export function toolkitPolicy(slug: string, toolkit: Toolkit | null): ToolkitPolicy {
  return toolkit ? { slug, include: toolkit.include, policies: toolkit.policies } : { slug, include: [], policies: [] };
}

/** Every toolkit by slug, straight from D1. */
export async function listToolkits(db: Database): Promise<Toolkit[]> {
  return db.select().from(schema.toolkits).orderBy(asc(schema.toolkits.slug));
}

/** One toolkit, or `not_found`. */
export async function getToolkit(db: Database, slug: string): Promise<Toolkit> {
  const row = await db.select().from(schema.toolkits).where(eq(schema.toolkits.slug, slug)).get();
  if (!row) throw new ExecutorError("not_found", `No toolkit ${slug}`);
  return row;
}

/** Adds a toolkit; a taken slug is a `conflict`. */
export async function createToolkit(db: Database, input: ToolkitInput & { slug: string }, createdBy: string, now: number): Promise<Toolkit> {
  if (!SLUG.test(input.slug)) throw invalidRequest([{ field: "slug", problem: "must match [a-z0-9][a-z0-9_-]{0,39}" }]);
  checkRules(input);
  const existing = await db.select({ slug: schema.toolkits.slug }).from(schema.toolkits).where(eq(schema.toolkits.slug, input.slug)).get();
  if (existing) throw new ExecutorError("conflict", `A toolkit ${input.slug} exists already`);
  const row: Toolkit = {
    slug: input.slug,
    name: input.name.trim(),
    description: input.description ?? null,
    include: input.include,
    policies: input.policies ?? [],
    members: normalizedMembers(input.members ?? null),
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([db.insert(schema.toolkits).values(row), bumpRevision(db, "policies")]);
  return row;
}

/** Changes the fields given; `members: null` opens the toolkit to everyone again. */
export async function updateToolkit(db: Database, slug: string, change: Partial<ToolkitInput>, now: number): Promise<Toolkit> {
  const current = await getToolkit(db, slug);
  checkRules(change);
  const updated: Toolkit = {
    ...current,
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.include !== undefined ? { include: change.include } : {}),
    ...(change.policies !== undefined ? { policies: change.policies } : {}),
    ...(change.members !== undefined ? { members: normalizedMembers(change.members) } : {}),
    updatedAt: now,
  };
  const { slug: _slug, createdBy: _createdBy, createdAt: _createdAt, ...set } = updated;
  await db.batch([db.update(schema.toolkits).set(set).where(eq(schema.toolkits.slug, slug)), bumpRevision(db, "policies")]);
  return updated;
}

/** Removes a toolkit. Its executions keep its slug; a resume of one can call nothing (toolkitPolicy). */
export async function deleteToolkit(db: Database, slug: string): Promise<void> {
  const [deleted] = await db.batch([db.delete(schema.toolkits).where(eq(schema.toolkits.slug, slug)), bumpRevision(db, "policies")]);
  if (deleted.meta.changes !== 1) throw new ExecutorError("not_found", `No toolkit ${slug}`);
}

/** The one check of every pattern a toolkit holds, whoever writes it. */
function checkRules(input: Partial<ToolkitInput>): void {
  const problems: FieldProblem[] = [];
  (input.include ?? []).forEach((pattern, index) => {
    const problem = patternProblem(pattern);
    if (problem) problems.push({ field: `include[${index}]`, problem });
  });
  (input.policies ?? []).forEach((rule, index) => {
    const problem = patternProblem(rule.pattern);
    if (problem) problems.push({ field: `policies[${index}].pattern`, problem });
  });
  if (problems.length > 0) throw invalidRequest(problems);
}

/** Emails compare lower-cased (as identities are); empty lists are kept: they admit nobody. */
function normalizedMembers(members: ToolkitMembers | null): ToolkitMembers | null {
  if (members === null) return null;
  return {
    ...(members.emails ? { emails: members.emails.map((email) => email.trim().toLowerCase()) } : {}),
    ...(members.groups ? { groups: members.groups } : {}),
    ...(members.serviceTokens ? { serviceTokens: members.serviceTokens } : {}),
  };
}
