/**
 * The console's views and the paths that show them: the one route table for the console.
 * The Worker matches the path here and names the view (with its parameters) in the page's
 * boot data; the browser code renders that view and keeps no route table of its own.
 * Pure: no I/O, no HTML.
 */

/** The views the browser code can render (public/console.js `VIEWS`). */
export type ViewName = "connect" | "integrations" | "integration" | "presets" | "oauth-apps" | "tools" | "toolkits" | "policies" | "executions" | "execution" | "settings";

/** A path matched to a view; `params` are the path's decoded segments by name. */
export interface ViewMatch {
  view: ViewName;
  params: Record<string, string>;
}

/** Each view's path; named groups become params. Query strings are the view's to read. */
const VIEW_PATHS: readonly [ViewName, RegExp][] = [
  ["connect", /^\/$/],
  ["integrations", /^\/integrations$/],
  ["integration", /^\/integrations\/(?<slug>[^/]+)$/],
  ["presets", /^\/presets$/],
  ["oauth-apps", /^\/oauth-apps$/],
  ["tools", /^\/tools$/],
  ["toolkits", /^\/toolkits$/],
  ["policies", /^\/policies$/],
  ["executions", /^\/executions$/],
  ["execution", /^\/executions\/(?<id>[^/]+)$/],
  ["settings", /^\/settings$/],
];

/** The header's links, and the views each one stands for (marked as the current page). */
export const NAV: readonly { href: string; label: string; views: readonly ViewName[] }[] = [
  { href: "/", label: "Connect", views: ["connect"] },
  { href: "/integrations", label: "Integrations", views: ["integrations", "integration"] },
  { href: "/presets", label: "Presets", views: ["presets"] },
  { href: "/oauth-apps", label: "OAuth apps", views: ["oauth-apps"] },
  { href: "/tools", label: "Tools", views: ["tools"] },
  { href: "/toolkits", label: "Toolkits", views: ["toolkits"] },
  { href: "/policies", label: "Policies", views: ["policies"] },
  { href: "/executions", label: "Executions", views: ["executions", "execution"] },
  { href: "/settings", label: "Settings", views: ["settings"] },
];

/** The view a pathname shows, or null (also for a segment that is not valid percent-encoding). */
export function matchView(pathname: string): ViewMatch | null {
  for (const [view, path] of VIEW_PATHS) {
    const match = path.exec(pathname);
    if (!match) continue;
    try {
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]));
      return { view, params };
    } catch {
      return null;
    }
  }
  return null;
}
