/** GET /api/me: who the caller is, as the contract shapes it; records the identity as seen. */
import { database, recordIdentity } from "../db";
import { json } from "../http";
import type { ApiHandler } from "./context";

export const getMe: ApiHandler = async (request, env) => {
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
};
