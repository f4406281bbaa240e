/** Role checks for handlers: one place that says who may do what. */
import { ExecutorError } from "../errors";
import { isAdmin, type Identity } from "./identity";

/** Admin-only writes: integrations, shared connections, policies. */
export function requireAdmin(identity: Identity): void {
  if (!isAdmin(identity)) throw new ExecutorError("forbidden", "Only an admin may do this (see ADMIN_EMAILS)");
}

/** Decisions belong to people: service identities can never approve. */
export function requireHuman(identity: Identity): void {
  if (identity.kind !== "user") throw new ExecutorError("forbidden", "Only a human identity may do this");
}
