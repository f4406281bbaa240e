/**
 * Executor for Cloudflare: the Worker's entry point. It only dispatches by surface:
 * /.well-known (JSON, no auth), /api and /mcp (JSON, gated), everything else the console;
 * and the daily clean-up on its cron trigger.
 */
import { handleApi, handleWellKnown } from "./api";
import { loadConfig } from "./config";
import { handleConsole } from "./console";
import { sweepExecutions } from "./executions";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/.well-known/")) return handleWellKnown(request);
    if (isApiPath(pathname)) return handleApi(request, env, ctx);
    return handleConsole(request, env);
  },

  /** The daily clean-up (wrangler.jsonc `triggers.crons`). */
  async scheduled(_controller, env, ctx): Promise<void> {
    const config = loadConfig(env);
    if (!config.ok) {
      console.error(`sweep skipped: missing or invalid ${config.missing.join(", ")}`);
      return;
    }
    ctx.waitUntil(sweepExecutions(env, config.config, Date.now()).then((report) => console.log("sweep", JSON.stringify(report))));
  },
} satisfies ExportedHandler<Env>;

function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/") || pathname === "/mcp" || pathname.startsWith("/mcp/");
}
