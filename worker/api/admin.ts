/** /api/admin/*: maintenance an admin starts by hand (the daily cron does the same). */
import { rotateSecretKeys } from "../connections";
import { database } from "../db";
import { json } from "../http";
import type { Route } from "./route";
import { RESEAL_REPORT } from "./schemas";

/** How long one request re-seals before it answers; call again while `remaining` > 0. */
const ROTATE_BUDGET_MS = 10_000;

export const ADMIN_ROUTES: Route[] = [
  {
    method: "POST",
    path: "/api/admin/rotate-secrets",
    summary: "Re-seal stored secrets under the current key → {resealed, remaining, unreadable} (admins)",
    admin: true,
    response: { status: 200, description: "What this pass re-sealed and what is left; call again while remaining > 0", schema: RESEAL_REPORT },
    handler: async (request, env) => json(await rotateSecretKeys(database(env.DB), request.caller.config.secretKeys, Date.now() + ROTATE_BUDGET_MS)),
  },
];
