/**
 * Executor for Cloudflare: the Worker's entry point. It only dispatches by surface:
 * /.well-known (JSON, no auth), /api and /mcp (JSON, gated), everything else the console.
 */
import { handleApi, handleWellKnown } from "./api";
import { handleConsole } from "./console";
import type { Env } from "./env";

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/.well-known/")) return handleWellKnown(request);
    if (isApiPath(pathname)) return handleApi(request, env, ctx);
    return handleConsole(request, env);
  },
} satisfies ExportedHandler<Env>;

function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/") || pathname === "/mcp" || pathname.startsWith("/mcp/");
}
