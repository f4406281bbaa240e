/**
 * The web console: every path that is not /api, /mcp or /.well-known. It passes the same
 * gate as the API; refusals are HTML pages here, since a browser is on the other end.
 * Pages are one shell plus /console.js, which renders each view from the /api JSON.
 */
import { authenticate, type Caller } from "../auth";
import { httpError } from "../errors";
import { CONSOLE_CSS } from "./assets/console-css";
import { CONSOLE_JS } from "./assets/console-js";
import { escapeHtml, page } from "./html";

/** Paths the console's client code knows how to render. */
const VIEW_PATHS = [/^\/$/, /^\/integrations$/, /^\/integrations\/[^/]+$/, /^\/tools$/, /^\/policies$/, /^\/executions$/, /^\/executions\/[^/]+$/];

const NAV: [string, string][] = [
  ["/", "Connect"],
  ["/integrations", "Integrations"],
  ["/tools", "Tools"],
  ["/policies", "Policies"],
  ["/executions", "Executions"],
];

/** Serves a console page or asset. */
export async function handleConsole(request: Request, env: Env): Promise<Response> {
  let caller: Caller;
  try {
    caller = await authenticate(request, env);
  } catch (thrown) {
    const { status, body } = httpError(thrown);
    return page("Unavailable", `<main><h1>${escapeHtml(status)}</h1><p>${escapeHtml(body.error.message)}</p></main>`, status);
  }
  const { pathname } = new URL(request.url);
  if (request.method !== "GET" && request.method !== "HEAD") return page("Not allowed", "<main><h1>Method not allowed</h1></main>", 405);
  if (pathname === "/console.js") return asset(CONSOLE_JS, "text/javascript; charset=utf-8");
  if (pathname === "/console.css") return asset(CONSOLE_CSS, "text/css; charset=utf-8");
  if (!VIEW_PATHS.some((pattern) => pattern.test(pathname))) {
    return page("Not found", shell(caller, `<h1>Not found</h1><p><a href="/">Back to the console</a></p>`, false), 404, bootData(caller));
  }
  return page("Console", shell(caller, "<p class=\"muted\">Loading…</p>", true), 200, bootData(caller));
}

function shell(caller: Caller, body: string, withApp: boolean): string {
  const { identity, config } = caller;
  const nav = NAV.map(([href, label]) => `<a href="${href}">${escapeHtml(label)}</a>`).join("");
  return `<header><span class="brand">Executor · ${escapeHtml(config.org.name)}</span><nav>${nav}</nav>
<span class="who" data-testid="identity">${escapeHtml(identity.email ?? identity.id)}${identity.roles.includes("admin") ? " (admin)" : ""}</span>
<a href="/cdn-cgi/access/logout">Sign out</a></header>
<main id="app">${body}</main>${withApp ? `<script src="/console.js" defer></script>` : ""}`;
}

/** What the client code needs to know about the person, on the body element. */
function bootData(caller: Caller): string {
  const { identity, config } = caller;
  return escapeHtml(JSON.stringify({ identity: { id: identity.id, kind: identity.kind, email: identity.email ?? null, roles: identity.roles }, org: config.org }));
}

function asset(text: string, type: string): Response {
  return new Response(text, { headers: { "content-type": type, "cache-control": "no-cache", "x-content-type-options": "nosniff" } });
}
