/**
 * Executor for Cloudflare: the Worker's entry point. It only dispatches by surface:
 * /.well-known (JSON, no auth), /api and /mcp (JSON, gated), everything else the console;
 * and the daily maintenance on its cron trigger: the history clean-up and re-sealing
 * secrets after a key rotation.
 */
import { handleApi, handleWellKnown } from "./api";
import { loadConfig } from "./config";
import { rotateSecretKeys } from "./connections";
import { handleConsole } from "./console";
import { database } from "./db";
import { sweepExecutions } from "./executions";

/** How long the daily run re-seals secrets (small batches; the next day continues). */
const ROTATE_BUDGET_MS = 25_000;

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/.well-known/")) return handleWellKnown(request);
    if (isApiPath(pathname)) return handleApi(request, env, ctx);
    return handleConsole(request, env);
  },

  /** The daily maintenance (wrangler.jsonc `triggers.crons`). */
  async scheduled(_controller, env, ctx): Promise<void> {
    const config = loadConfig(env);
    if (!config.ok) {
      console.error(`sweep skipped: missing or invalid ${config.missing.join(", ")}`);
      return;
    }
    ctx.waitUntil(sweepExecutions(env, config.config, Date.now()).then((report) => console.log("sweep", JSON.stringify(report))));
    ctx.waitUntil(
      rotateSecretKeys(database(env.DB), config.config.secretKeys, Date.now() + ROTATE_BUDGET_MS).then(
        (report) => console.log("rotate-secrets", JSON.stringify(report)),
        (error) => console.error("rotate-secrets failed", error),
      ),
    );
  },
} satisfies ExportedHandler<Env>;

function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/") || pathname === "/mcp" || pathname.startsWith("/mcp/");
}
