// @ts-check
/**
 * The Connect view (/): this deployment's MCP URL and copy-ready setup for both ways in,
 * Managed OAuth and a service token, with the Access checklist. It fetches nothing.
 */
import { h, pretty } from "./dom.js";

/** @type {import("./console.js").View} */
export function connectView() {
  const url = `${location.origin}/mcp`;
  const block = { executor: { type: "http", url, headers: { "CF-Access-Client-Id": "<client-id>.access", "CF-Access-Client-Secret": "<client-secret>" } } };
  return [
    h("h1", {}, "Connect an agent"),
    h("section", { class: "card" },
      h("p", {}, "The MCP endpoint of this deployment:"),
      h("pre", { "data-testid": "mcp-url" }, url),
      h("h2", {}, "People: Managed OAuth"),
      h("pre", {}, `npx add-mcp ${url} --transport http --name executor`),
      h("h2", {}, "Headless agents: a service token"),
      h("pre", {}, `npx add-mcp ${url} --transport http --name executor \\\n  --header "CF-Access-Client-Id: <client-id>.access" \\\n  --header "CF-Access-Client-Secret: <client-secret>"`),
      h("p", {}, "Or an mcpServers block:"),
      h("pre", {}, pretty(block)),
      h("p", { class: "muted" }, "An agent that needs only some tools can use a toolkit's endpoint instead: see ", h("a", { href: "/toolkits" }, "Toolkits"), ".")),
    h("section", { class: "card" },
      h("h2", {}, "Cloudflare Access checklist"),
      h("ul", {},
        h("li", {}, "One self-hosted Access application covering this whole hostname (no path)."),
        h("li", {}, "Managed OAuth enabled on it, so MCP clients can sign people in."),
        h("li", {}, "A Service Auth policy that includes your service tokens, for headless agents.")),
      h("p", { class: "muted" }, "\"Streamable HTTP error: Unexpected content type: text/html\" means the client got Access's login page instead of this endpoint: enable Managed OAuth, or use a service token.")),
  ];
}
