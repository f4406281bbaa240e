// @ts-check
/**
 * The Presets view (/presets): the catalogue of ready-made integrations as cards, grouped by
 * category, each saying how it connects, which of its tools are reads and which rules it
 * suggests. Admins add one with a click (slug optional; a base URL when the preset needs
 * one); the suggested rules are then offered, not created, and added in one more click.
 * Adding a connection happens on the integration's page.
 */
import * as api from "./api-client.js";
import { guard, h, notice, status } from "./dom.js";

/** @type {import("./console.js").View} */
export async function presetsView(context) {
  const presets = (await api.listPresets()).items;
  const container = h("div", {});
  container.append(h("h1", {}, "Presets"),
    h("p", { class: "muted" }, "Ready-made integrations for the services teams use. ",
      "OAuth presets use an app registered once on the ", h("a", { href: "/oauth-apps" }, "OAuth apps"), " page; each person then only consents."));
  /** @type {Map<string, api.Preset[]>} */
  const byCategory = new Map();
  for (const preset of presets) byCategory.set(preset.category, [...(byCategory.get(preset.category) ?? []), preset]);
  for (const [category, items] of byCategory) {
    container.append(h("h2", {}, category), h("div", { class: "cards" }, items.map((preset) => presetCard(container, context, preset))));
  }
  return container;
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.Preset} preset
 */
function presetCard(container, context, preset) {
  const result = h("div", {});
  const slug = h("input", { name: "slug", placeholder: `slug (${preset.id})`, size: 14 });
  const baseUrl = preset.baseUrlHint ? h("input", { name: "baseUrl", placeholder: "base URL", size: 30, title: preset.baseUrlHint, required: true }) : null;
  const add = guard(container, async () => {
    const added = await api.addIntegration({ preset: preset.id, slug: slug.value || undefined, baseUrl: baseUrl?.value || undefined });
    result.replaceChildren(
      notice(`Added ${added.slug} with ${added.toolCount} tools${added.needsConnection ? " (it lists them once connected)" : ""}.`),
      h("p", {}, h("a", { href: `/integrations/${encodeURIComponent(added.slug)}`, "data-testid": "preset-added" }, `Connect to ${added.name}`)),
      suggestions(container, added.suggestedPolicies ?? []));
  });
  return h("section", { class: "card preset", "data-preset": preset.id },
    h("h3", {}, preset.name, " ", h("span", { class: "muted" }, preset.kind)),
    h("p", {}, preset.description),
    h("p", { class: "muted" }, "Connects with: ", preset.auth.map(describeAuth).join("; or ")),
    h("p", { class: "muted" }, preset.reads),
    preset.baseUrlHint ? h("p", { class: "muted" }, `Needs a base URL: ${preset.baseUrlHint}`) : "",
    preset.policies.length > 0
      ? h("ul", { class: "muted" }, preset.policies.map((policy) => h("li", {}, "Suggests ", status(policy.action), " ", h("code", {}, policy.pattern), `: ${policy.reason}`)))
      : "",
    context.isAdmin
      ? h("form", { class: "inline", onsubmit: add, "data-testid": `add-preset-${preset.id}` }, slug, baseUrl, h("button", { type: "submit" }, "Add"))
      : "",
    result);
}

/**
 * The suggested rules after adding, with one button that creates them all.
 * @param {HTMLElement} container
 * @param {api.SuggestedPolicy[]} policies
 */
function suggestions(container, policies) {
  if (policies.length === 0) return "";
  const done = h("span", { class: "muted" });
  const button = h("button", { class: "secondary", "data-testid": "add-suggested", onclick: guard(container, async () => {
    for (const policy of policies) await api.createPolicy({ pattern: policy.pattern, action: policy.action });
    button.disabled = true;
    done.textContent = ` Added ${policies.length} rule${policies.length === 1 ? "" : "s"}.`;
  }) }, `Add the ${policies.length} suggested rule${policies.length === 1 ? "" : "s"}`);
  return h("div", {}, h("ul", {}, policies.map((policy) => h("li", {}, status(policy.action), " ", h("code", {}, policy.pattern)))), button, done);
}

/** @param {api.PresetAuth} auth */
function describeAuth(auth) {
  if (auth.type === "oauth2") return "discovery" in auth ? "OAuth (the server registers this deployment itself)" : `an OAuth app (${auth.provider}): ${auth.scopes.join(", ")}`;
  return `${auth.type}: ${auth.hint}`;
}
