// @ts-check
/**
 * The Tools view (/tools?q=&integration=): search results grouped by integration, each
 * tool's TypeScript signature on demand, default and effective policy, and one-click
 * allow / approve / block for admins (a rule added first). The search box is a GET form.
 */
import * as api from "./api-client.js";
import { guard, h, notice, status } from "./dom.js";

/** @type {import("./console.js").View} */
export async function toolsView(context) {
  const q = context.query.get("q") ?? "";
  const integration = context.query.get("integration") ?? "";
  const list = await api.searchTools({ q, integration, limit: 100 });
  const container = h("div", {});
  /** @type {Map<string, api.Tool[]>} */
  const groups = new Map();
  for (const tool of list.items) groups.set(tool.integration, [...(groups.get(tool.integration) ?? []), tool]);
  container.append(
    h("h1", {}, "Tools"),
    h("form", { class: "inline", method: "get", action: "/tools" },
      h("input", { name: "q", placeholder: "search tools", value: q, size: 40 }),
      integration ? h("input", { type: "hidden", name: "integration", value: integration }) : "",
      h("button", { type: "submit" }, "Search")),
    h("p", { class: "muted" }, `${list.total} tools`),
    ...[...groups].map(([name, tools]) =>
      h("section", { class: "card" }, h("h2", {}, name), h("table", {}, h("tbody", {}, tools.map((tool) => toolRow(container, context, tool)))))));
  return container;
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.Tool} tool
 */
function toolRow(container, context, tool) {
  const detail = h("div", {});
  /** @param {api.PolicyAction} action */
  const setPolicy = (action) => guard(container, async () => {
    await api.createPolicy({ pattern: tool.address, action, position: 0 });
    container.prepend(notice(`${tool.address} is now ${action}`));
  });
  return h("tr", { "data-address": tool.address },
    h("td", {},
      h("a", { href: "#", onclick: guard(container, async () => {
        const full = await api.getTool(tool.address);
        detail.replaceChildren(h("pre", { class: "signature" }, full.typescript));
      }) }, tool.address),
      detail),
    h("td", {}, tool.description),
    h("td", {}, "default ", status(tool.defaultPolicy), h("br"), "now ", status(tool.policy)),
    h("td", {}, context.isAdmin ? api.POLICY_ACTIONS.map((action) => h("button", { class: "secondary", onclick: setPolicy(action) }, action)) : ""));
}
