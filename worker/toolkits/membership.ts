/**
 * Who may use a toolkit's endpoint: one pure check over the caller's identity and the
 * toolkit's `members`. People match by email or by an Access group; agents with a service
 * token match by the token's `common_name` (its client id). No `members`: everyone who passed
 * the gate. A `members` whose lists are all empty admits nobody: the toolkit is closed, not
 * open, when an admin has not named anyone yet (fail closed).
 *
 * A person is never matched by a service token's name nor an agent by a group: the two lists
 * answer different questions, and an identity is one kind or the other (auth/identity.ts).
 */
import type { Identity } from "../auth";
import type { ToolkitMembers } from "../db";

/** True when `identity` may use a toolkit with these `members`. */
export function mayUseToolkit(identity: Pick<Identity, "kind" | "email" | "groups" | "subject">, members: ToolkitMembers | null): boolean {
  if (members === null) return true;
  if (identity.kind === "service") return identity.subject !== undefined && (members.serviceTokens ?? []).includes(identity.subject);
  const email = identity.email?.toLowerCase();
  if (email !== undefined && (members.emails ?? []).some((listed) => listed.toLowerCase() === email)) return true;
  const groups = new Set(identity.groups ?? []);
  return (members.groups ?? []).some((group) => groups.has(group));
}
