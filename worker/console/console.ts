/**
 * The web console: every path that is not /api, /mcp or /.well-known. It passes the same
 * gate as the API; refusals are HTML pages here, since a browser is on the other end.
 */
import { authenticate } from "../auth";
import type { Env } from "../env";
import { toApiError } from "../http";
import { escapeHtml, page } from "./html";

/** Serves a console page. */
export async function handleConsole(request: Request, env: Env): Promise<Response> {
  let caller;
  try {
    caller = await authenticate(request, env);
  } catch (thrown) {
    const error = toApiError(thrown);
    return page("Unavailable", `<h1>${escapeHtml(error.status)}</h1><p>${escapeHtml(error.message)}</p>`, error.status);
  }
  const { pathname } = new URL(request.url);
  if (pathname !== "/") return page("Not found", "<h1>Not found</h1><p><a href=\"/\">Back to the console</a></p>", 404);
  const who = caller.identity.email ?? caller.identity.id;
  return page(
    "Console",
    `<h1>Executor · ${escapeHtml(caller.config.org.name)}</h1><p>Signed in as ${escapeHtml(who)}.</p>` +
      `<p>MCP endpoint: <code>${escapeHtml(new URL("/mcp", request.url).href)}</code></p>`,
  );
}
