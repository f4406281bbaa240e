/** Role checks for handlers: one place that says who may do what. */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { isAdmin, type Identity } from "./identity";

/** Admin-only writes: integrations, shared connections, policies. */
export function requireAdmin(identity: Identity): void {
  if (!isAdmin(identity)) throw new ExecutorError("forbidden", "Only an admin may do this (see ADMIN_EMAILS)");
}

/**
 * Decisions belong to people: service identities can never approve. With APPROVER_AUD set,
 * only an assertion from that Access application may: a token minted for `/mcp` (an agent's)
 * cannot approve its own calls even when a person signed in for it.
 */
export function requireApprover(identity: Identity, config: Config): void {
  if (identity.kind !== "user") throw new ExecutorError("forbidden", "Only a human identity may do this");
  if (config.access && config.approverAudience && !(identity.audiences ?? []).includes(config.approverAudience)) {
    throw new ExecutorError("forbidden", "Decisions are made in the console, signed in through its Access application (APPROVER_AUD); this assertion is for another application");
  }
}
