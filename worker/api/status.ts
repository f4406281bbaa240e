/** GET /api/status: version, migrations and config health, for operators and the console. */
import { version } from "../../package.json";
import { migrationStatus } from "../db";
import { json } from "../http";
import type { ApiHandler } from "./context";

export const getStatus: ApiHandler = async (request, env) => {
  const { config } = request.caller;
  const migrations = await migrationStatus(env.DB);
  return json({
    version,
    migrations,
    config: { ok: config.missing.length === 0, missing: config.missing, accessConfigured: config.access !== null },
  });
};
