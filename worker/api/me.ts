/** GET /api/me and /api/status: who the caller is, and the deployment's health. */
import { version } from "../../package.json";
import { secretKeyStatus } from "../connections";
import { database, migrationStatus, recordIdentity } from "../db";
import { json } from "../http";
import type { Route } from "./route";
import { IDENTITY, STATUS } from "./schemas";

export const ME_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/me",
    summary: "Who the caller is",
    response: { status: 200, description: "The caller's identity, roles and organization", schema: IDENTITY },
    // Records the identity as seen (first and last seen).
    handler: async (request, env) => {
      const { identity, config } = request.caller;
      await recordIdentity(database(env.DB), identity, Date.now());
      return json({
        id: identity.id,
        kind: identity.kind,
        ...(identity.email ? { email: identity.email } : {}),
        ...(identity.name ? { name: identity.name } : {}),
        ...(identity.groups ? { groups: identity.groups } : {}),
        roles: identity.roles,
        org: { name: config.org.name, slug: config.org.slug },
      });
    },
  },
  {
    method: "GET",
    path: "/api/status",
    summary: "Version, migrations, configuration health and the secret key's rotation",
    response: { status: 200, description: "The deployment's health", schema: STATUS },
    handler: async (request, env) => {
      const { config } = request.caller;
      const migrations = await migrationStatus(env.DB);
      return json({
        version,
        migrations,
        config: { ok: config.missing.length === 0, missing: config.missing, accessConfigured: config.access !== null },
        // Counted only once the schema has the columns it reads.
        ...(migrations.pending.length === 0 ? { secrets: await secretKeyStatus(database(env.DB), config.secretKeys) } : {}),
      });
    },
  },
];
