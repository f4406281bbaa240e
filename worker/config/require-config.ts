/** The request-time face of config: a usable Config, or the contract's 503. */
import { ApiError } from "../http";
import type { Env } from "../env";
import { loadConfig, type Config } from "./load-config";

/** Returns the Config or throws `not_configured` naming what is missing. Never a stack trace. */
export function requireConfig(env: Env): Config {
  const result = loadConfig(env);
  if (result.ok) return result.config;
  throw new ApiError("not_configured", `Executor is not configured: missing or invalid ${result.missing.join(", ")}`, {
    details: { missing: result.missing },
  });
}
