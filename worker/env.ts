/**
 * The Worker's bindings, kept by hand to match wrangler.jsonc.
 * Every var is optional here: config/ decides what is missing and answers 503.
 */
export interface Env {
  DB: D1Database;
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ADMIN_EMAILS?: string;
  ORG_NAME?: string;
  EXECUTOR_SECRET_KEY?: string;
  ALLOW_LOCAL_NETWORK?: string;
  DEV_IDENTITY?: string;
}
