/**
 * The web console: every path that is not /api, /mcp or /.well-known. It passes the same
 * gate as the API; refusals are HTML pages here, since a browser is on the other end.
 * A view's path gets the page shell, naming the view in its boot data; any other path is
 * looked up in the static assets (public/: the browser code and stylesheet, bound as ASSETS),
 * and what is not there gets the console's HTML 404.
 *
 * wrangler.jsonc sets `run_worker_first: true`, so every request reaches this Worker before
 * the assets: the gate runs first for the files too, and /api, /mcp and /.well-known are
 * never answered from the assets directory.
 */
import { authenticate, type Caller } from "../auth";
import { httpError } from "../errors";
import { escapeHtml, page } from "./html";
import { matchView, NAV, type ViewMatch } from "./views";

/** Serves a console page or asset. */
export async function handleConsole(request: Request, env: Env): Promise<Response> {
  let caller: Caller;
  try {
    caller = await authenticate(request, env);
  } catch (thrown) {
    const { status, body } = httpError(thrown);
    return page("Unavailable", `<main><h1>${escapeHtml(status)}</h1><p>${escapeHtml(body.error.message)}</p></main>`, status);
  }
  if (request.method !== "GET" && request.method !== "HEAD") return page("Not allowed", "<main><h1>Method not allowed</h1></main>", 405);
  const match = matchView(new URL(request.url).pathname);
  if (match) return page("Console", shell(caller, match, `<p class="muted">Loading…</p>`), 200, bootData(caller, match));
  const asset = await env.ASSETS.fetch(request);
  if (asset.status === 404) return page("Not found", shell(caller, null, `<h1>Not found</h1><p><a href="/">Back to the console</a></p>`), 404);
  return withAssetHeaders(asset);
}

/** The header and the main element; `main` must already be escaped HTML. A view loads the browser code. */
function shell(caller: Caller, match: ViewMatch | null, main: string): string {
  const { identity, config } = caller;
  const nav = NAV.map(({ href, label, views }) =>
    match && views.includes(match.view) ? `<a href="${href}" class="active" aria-current="page">${escapeHtml(label)}</a>` : `<a href="${href}">${escapeHtml(label)}</a>`,
  ).join("");
  return `<header><span class="brand">Executor · ${escapeHtml(config.org.name)}</span><nav>${nav}</nav>
<span class="who" data-testid="identity">${escapeHtml(identity.email ?? identity.id)}${identity.roles.includes("admin") ? " (admin)" : ""}</span>
<a href="/api/docs" data-testid="api-docs">API</a><a href="/cdn-cgi/access/logout">Sign out</a></header>
<main id="app">${main}</main>${match ? `<script type="module" src="/console.js"></script>` : ""}`;
}

/** What the browser code needs (public/console.js `Boot`): the person and the view to render. */
function bootData(caller: Caller, match: ViewMatch): string {
  const { identity, config } = caller;
  const identityData = { id: identity.id, kind: identity.kind, email: identity.email ?? null, roles: identity.roles };
  return escapeHtml(JSON.stringify({ identity: identityData, org: config.org, view: match.view, params: match.params }));
}

/**
 * An asset answer (200, or 304 to a conditional request) with the console's headers, as every
 * console answer has them: `nosniff`, so a browser runs or applies a file only under its
 * declared type, never a sniffed one; `private, no-cache`, because the files sit behind the
 * gate (shared caches keep none) and have unversioned names (the browser revalidates each
 * time, and the asset's ETag makes that a 304).
 */
function withAssetHeaders(asset: Response): Response {
  const response = new Response(asset.body, asset);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("cache-control", "private, no-cache");
  return response;
}
