/** The request-time face of config: a usable Config, or the 503 of docs/configuration.md. */
import { ExecutorError } from "../errors";
import { loadConfig, type Config, type ConfigVars } from "./load-config";

/** Returns the Config or throws `not_configured` naming what is missing. Never a stack trace. */
export function requireConfig(env: ConfigVars): Config {
  const result = loadConfig(env);
  if (result.ok) return result.config;
  throw new ExecutorError("not_configured", `Executor is not configured: missing or invalid ${result.missing.join(", ")}`, {
    details: { missing: result.missing },
  });
}
