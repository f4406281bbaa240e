/**
 * The Worker's bindings, kept by hand to match wrangler.jsonc.
 * Every var is optional here: config/ decides what is missing and answers 503.
 */
export interface Env {
  DB: D1Database;
  /** The console's static files (wrangler.jsonc `assets`), read by the Worker after the gate. */
  ASSETS: Fetcher;
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ADMIN_EMAILS?: string;
  ORG_NAME?: string;
  EXECUTOR_SECRET_KEY?: string;
  ALLOW_LOCAL_NETWORK?: string;
  DEV_IDENTITY?: string;
  /** Sandbox limits (see sandbox/limits.ts); absent means the safe default. */
  SANDBOX_MEMORY_MB?: string;
  SANDBOX_STACK_KB?: string;
  SANDBOX_TIMEOUT_MS?: string;
  SANDBOX_INTERRUPT_BUDGET?: string;
  SANDBOX_MAX_LOG_KB?: string;
  SANDBOX_MAX_RESULT_KB?: string;
  /** How long a paused call waits for a human before it expires (hours, default 24). */
  APPROVAL_TTL_HOURS?: string;
  /** Days an execution stays in the history (default 90). */
  EXECUTION_RETENTION_DAYS?: string;
}
