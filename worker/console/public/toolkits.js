// @ts-check
/**
 * The Toolkits view (/toolkits): each toolkit with its MCP URL and the `add-mcp` line that
 * connects an agent to it, the tools it includes, its rules and who may use it; admins also
 * add and remove toolkits. Names, patterns and members are shown as text only.
 */
import * as api from "./api-client.js";
import { guard, h, status } from "./dom.js";

/** @type {import("./console.js").View} */
export async function toolkitsView(context) {
  const list = await api.listToolkits();
  const container = h("div", {});
  container.append(
    h("h1", {}, "Toolkits"),
    h("p", { class: "muted" }, "A toolkit gives an agent only the tools it needs: its own MCP endpoint where nothing else exists, with rules that can only make the policy stricter. /mcp stays the whole catalogue."),
    ...list.items.map((toolkit) => toolkitCard(container, context, toolkit)));
  if (list.items.length === 0) container.append(h("p", { class: "muted" }, "No toolkits yet."));
  if (context.isAdmin) container.append(addToolkitForm(container, context));
  return container;
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.Toolkit} toolkit
 */
function toolkitCard(container, context, toolkit) {
  const members = toolkit.members;
  const who = members === null
    ? "Everyone who can sign in"
    : [...(members.emails ?? []), ...(members.groups ?? []).map((group) => `group ${group}`), ...(members.serviceTokens ?? []).map((token) => `service token ${token}`)].join(", ") || "Nobody yet";
  return h("section", { class: "card", "data-testid": `toolkit-${toolkit.slug}` },
    h("h2", {}, toolkit.name, " ", h("code", {}, toolkit.slug)),
    toolkit.description ? h("p", {}, toolkit.description) : "",
    h("p", {}, "MCP endpoint:"),
    h("pre", { "data-testid": "toolkit-mcp-url" }, toolkit.mcpUrl),
    h("pre", { "data-testid": "toolkit-add-mcp" }, `npx add-mcp ${toolkit.mcpUrl} --transport http --name executor-${toolkit.slug}`),
    h("p", {}, "Tools: ", toolkit.include.map((pattern) => h("code", {}, pattern, " "))),
    toolkit.policies.length > 0 ? h("p", {}, "Rules: ", toolkit.policies.map((rule) => h("span", {}, h("code", {}, rule.pattern), " ", status(rule.action), " "))) : "",
    h("p", { class: "muted" }, "Members: ", who, toolkit.mayUse ? " (you may use it)" : " (you may not use it)"),
    context.isAdmin
      ? h("button", { class: "danger", onclick: guard(container, async () => {
        await api.deleteToolkit(toolkit.slug);
        await context.refresh();
      }) }, "Delete")
      : "");
}

/**
 * The admin's form: lists are one item per line (or comma-separated); a rule is
 * `pattern action`.
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 */
function addToolkitForm(container, context) {
  const slug = h("input", { name: "slug", placeholder: "triage", required: true });
  const name = h("input", { name: "name", placeholder: "Triage", required: true });
  const description = h("input", { name: "description", placeholder: "What it is for" });
  const include = h("textarea", { name: "include", rows: 3, placeholder: "github.issues.*\nlinear.*", required: true });
  const rules = h("textarea", { name: "policies", rows: 2, placeholder: "github.issues.create approve" });
  const emails = h("input", { name: "emails", placeholder: "ada@example.com, …" });
  const groups = h("input", { name: "groups", placeholder: "Access groups" });
  const tokens = h("input", { name: "serviceTokens", placeholder: "service tokens' client ids" });
  const submit = guard(container, async () => {
    const memberLists = { emails: items(emails.value), groups: items(groups.value), serviceTokens: items(tokens.value) };
    const anyMembers = Object.values(memberLists).some((list) => list.length > 0);
    await api.createToolkit({
      slug: slug.value.trim(),
      name: name.value,
      description: description.value.trim() || null,
      include: items(include.value),
      policies: items(rules.value, /\n/).map((line) => {
        const [pattern = "", action = ""] = line.split(/\s+/);
        return { pattern, action: /** @type {"approve" | "block"} */ (action) };
      }),
      members: anyMembers ? memberLists : null,
    });
    await context.refresh();
  });
  return h("section", { class: "card" }, h("h2", {}, "Add a toolkit"),
    h("form", { "data-testid": "add-toolkit", onsubmit: submit },
      h("p", {}, slug, " ", name, " ", description),
      h("p", {}, h("label", {}, "Tools it includes (patterns, one a line)", h("br", {}), include)),
      h("p", {}, h("label", {}, "Rules (pattern and approve or block, one a line)", h("br", {}), rules)),
      h("p", {}, "Members (empty: everyone): ", emails, " ", groups, " ", tokens),
      h("button", { type: "submit" }, "Add toolkit")));
}

/**
 * The non-empty items of a list typed as lines or commas.
 * @param {string} text
 * @param {RegExp} [separator]
 */
function items(text, separator = /[\n,]/) {
  return text.split(separator).map((item) => item.trim()).filter((item) => item !== "");
}
