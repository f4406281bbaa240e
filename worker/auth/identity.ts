/**
 * Who is calling: Access claims (or the local developer) turned into an Identity with roles.
 * Pure functions over plain data; nothing here reads the request or the database.
 */
import type { JWTPayload } from "jose";
import type { Config } from "../config";

export type IdentityKind = "user" | "service";

/** `admin` manages integrations, shared connections and policies; `approver` decides paused calls. */
export type Role = "admin" | "approver";

export interface Identity {
  /** Stable key: `user:<email>` or `service:<common_name>`. */
  id: string;
  kind: IdentityKind;
  email?: string;
  name?: string;
  groups?: string[];
  /** Access `sub` for humans; `common_name` (the service token's client id) for services. */
  subject?: string;
  /** The assertion's `aud` tags (absent for the local developer). */
  audiences?: string[];
  roles: Role[];
}

export type IdentityResult = { ok: true; identity: Identity } | { ok: false; reason: "no_identity" };

/**
 * A token with `common_name` is a service token; one with an email is a human. A token that
 * carries both is treated as a service, the kind with fewer rights. Neither: refused.
 */
export function identityFromClaims(claims: JWTPayload, config: Config): IdentityResult {
  const commonName = nonEmptyString(claims.common_name);
  const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((tag): tag is string => typeof tag === "string") : [];
  if (commonName) {
    return { ok: true, identity: { id: `service:${commonName}`, kind: "service", subject: commonName, audiences, roles: [] } };
  }
  const email = nonEmptyString(claims.email)?.toLowerCase();
  if (!email) return { ok: false, reason: "no_identity" };
  return {
    ok: true,
    identity: humanIdentity(email, config, {
      name: nonEmptyString(claims.name),
      groups: stringList(claims.groups),
      subject: nonEmptyString(claims.sub),
      audiences,
    }),
  };
}

/** A human identity with its roles per ADMIN_EMAILS (empty: every human is an admin). */
export function humanIdentity(
  email: string,
  config: Config,
  extra: { name?: string; groups?: string[]; subject?: string; audiences?: string[] } = {},
): Identity {
  const normalized = email.toLowerCase();
  const isAdmin = config.adminEmails.size === 0 || config.adminEmails.has(normalized);
  return {
    id: `user:${normalized}`,
    kind: "user",
    email: normalized,
    ...(extra.name ? { name: extra.name } : {}),
    ...(extra.groups ? { groups: extra.groups } : {}),
    ...(extra.subject ? { subject: extra.subject } : {}),
    ...(extra.audiences ? { audiences: extra.audiences } : {}),
    roles: isAdmin ? ["admin", "approver"] : ["approver"],
  };
}

/** True when the identity may manage integrations, shared connections and policies. */
export function isAdmin(identity: Identity): boolean {
  return identity.roles.includes("admin");
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Access sends `groups` as a list of names, or of objects with a name, depending on the IdP. */
function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const names = value
    .map((item) => (typeof item === "string" ? item : nonEmptyString((item as { name?: unknown })?.name)))
    .filter((item): item is string => typeof item === "string" && item !== "");
  return names.length > 0 ? names : undefined;
}

/**
 * The identity behind a stored id (`user:<email>` or `service:<common_name>`), with roles as
 * the current config gives them. Used to act for an execution's owner after a pause, when
 * someone else (an admin, the console) resumes it.
 */
export function identityFromId(id: string, config: Config): Identity | null {
  if (id.startsWith("user:")) return humanIdentity(id.slice("user:".length), config);
  if (id.startsWith("service:")) {
    const commonName = id.slice("service:".length);
    return { id, kind: "service", subject: commonName, roles: [] };
  }
  return null;
}
