// @ts-check
/**
 * The Integrations views: the list (/integrations) with refresh, remove and the add form
 * (detect a URL, then confirm; or paste a spec; presets are on /presets), and one integration
 * (/integrations/:slug) with its connections and the add-connection form, which offers the
 * OAuth apps that fit the integration with its scopes (the person then only consents).
 * Secrets typed here are sent once and never shown again: the API answers only a masked hint.
 */
import * as api from "./api-client.js";
import { guard, h, notice, status, table, when } from "./dom.js";

/** @type {import("./console.js").View} */
export async function integrationsView(context) {
  const list = await api.listIntegrations();
  const container = h("div", {});
  const rows = list.items.map((item) =>
    h("tr", {},
      h("td", {}, item.kind === "builtin" ? item.slug : h("a", { href: `/integrations/${encodeURIComponent(item.slug)}` }, item.slug)),
      h("td", {}, item.kind), h("td", {}, item.name), h("td", {}, item.toolCount),
      h("td", {}, item.kind === "builtin" || !context.isAdmin ? "" : [
        h("button", { class: "secondary", onclick: guard(container, async () => {
          const diff = await api.refreshIntegration(item.slug);
          container.prepend(notice(`Refreshed ${item.slug}: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`));
        }) }, "Refresh"), " ",
        h("button", { class: "danger", onclick: guard(container, async () => {
          if (!confirm(`Remove ${item.slug} with its tools and connections?`)) return;
          await api.removeIntegration(item.slug);
          await context.refresh();
        }) }, "Remove"),
      ])));
  container.append(h("h1", {}, "Integrations"),
    h("p", { class: "muted" }, "Adding GitHub, Slack, Google or Microsoft 365? Start from a ", h("a", { href: "/presets" }, "preset"), "."),
    table(["Slug", "Kind", "Name", "Tools", ""], rows));
  if (context.isAdmin) container.append(addIntegrationForm(container));
  return container;
}

/**
 * A pasted JSON document goes as an object, not as text: the Worker then never holds the
 * document's text beside the request's (half the memory for a large spec; docs/integrations.md).
 * YAML, or anything that is not JSON, goes as text.
 * @param {string} text @returns {unknown}
 */
function pastedSpec(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** @param {HTMLElement} container */
function addIntegrationForm(container) {
  const url = h("input", { name: "url", placeholder: "https://api.example.com/openapi.json", size: 50 });
  const slug = h("input", { name: "slug", placeholder: "slug (optional)" });
  const spec = h("textarea", { name: "spec", placeholder: "…or paste an OpenAPI document (JSON or YAML)" });
  const detected = h("div", {});
  let kind = "openapi";
  const add = guard(container, async () => {
    const body = spec.value.trim()
      ? { kind: "openapi", spec: pastedSpec(spec.value), slug: slug.value || undefined }
      : { kind, url: url.value, slug: slug.value || undefined };
    const result = await api.addIntegration(body);
    location.assign(`/integrations/${encodeURIComponent(result.slug)}`);
  });
  const detect = guard(container, async () => {
    const result = await api.detectIntegration(url.value);
    kind = result.kind;
    const name = result.name ? ` \u201c${result.name}\u201d` : "";
    const count = result.toolCount !== undefined ? `, ${result.toolCount} tools` : "";
    detected.replaceChildren(notice(`Detected ${result.kind}${name}${count}`),
      h("button", { onclick: add, "data-testid": "confirm-add" }, `Add ${result.kind} integration`));
  });
  return h("section", { class: "card" }, h("h2", {}, "Add an integration"),
    h("form", { class: "inline", onsubmit: detect }, url, slug, h("button", { type: "submit" }, "Detect")),
    detected, spec, h("button", { class: "secondary", onclick: add }, "Add pasted spec"));
}

/** @type {import("./console.js").View} */
export async function integrationView(context) {
  const slug = context.params.slug ?? "";
  const item = await api.getIntegration(slug);
  // The apps that fit: the provider's, or any when the integration's authorization server is not a known one.
  const apps = item.oauth ? (await api.listOAuthApps()).items.filter((app) => !item.oauth?.provider || app.provider === item.oauth.provider) : [];
  const container = h("div", {});
  const connectedName = context.query.get("connected");
  if (connectedName) container.append(notice(`Connected ${connectedName}.`));
  const rows = item.connections.map((connection) =>
    h("tr", {},
      h("td", {}, connection.name), h("td", {}, connection.shared ? "shared" : "personal"), h("td", {}, connection.authType),
      h("td", {}, connection.maskedHint ?? ""), h("td", {}, status(connection.status)), h("td", {}, when(connection.lastUsedAt)),
      h("td", {},
        h("button", { class: "secondary", onclick: guard(container, async () => {
          const result = await api.testConnection(slug, connection.name);
          container.prepend(notice(`${result.ok ? "OK" : "Failed"}: ${result.message}`, !result.ok));
        }) }, "Test"), " ",
        connection.shared && !context.isAdmin ? "" : h("button", { class: "danger", onclick: guard(container, async () => {
          if (!confirm(`Remove connection ${connection.name}?`)) return;
          await api.removeConnection(slug, connection);
          await context.refresh();
        }) }, "Remove"))));
  container.append(
    h("h1", {}, `${item.name} (${item.slug})`),
    h("p", { class: "muted" }, `${item.kind} \u00b7 ${item.toolCount} tools \u00b7 ${item.baseUrl || item.sourceUrl || ""}`),
    h("p", {}, h("a", { href: `/tools?${new URLSearchParams({ integration: item.slug })}` }, "Browse its tools")),
    h("h2", {}, "Connections"),
    table(["Name", "Owner", "Type", "Credential", "Status", "Last used", ""], rows),
    addConnectionForm(container, context, slug, item.oauth, apps));
  return container;
}

/** The fields each auth type asks for, by the select's value. @type {Record<string, string[]>} */
const AUTH_FIELDS = {
  oauth2_app: ["app", "scopes"],
  none: [],
  bearer: ["token"],
  basic: ["username", "password"],
  apiKey: ["key", "name", "in"],
  headers: ["headers"],
  oauth2_client_credentials: ["clientId", "clientSecret", "scopes"],
  oauth2_authorization_code: ["clientId", "clientSecret", "scopes"],
};
const SECRET_FIELDS = ["token", "password", "key", "clientSecret"];

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {string} slug
 * @param {api.OAuthOffer | null} offer
 * @param {api.OAuthApp[]} apps
 */
function addConnectionForm(container, context, slug, offer, apps) {
  const name = h("input", { name: "name", placeholder: "name, e.g. work", required: true });
  const shared = h("input", { type: "checkbox", name: "shared" });
  // With a fitting OAuth app, that is the first (and usual) choice.
  const types = Object.keys(AUTH_FIELDS).filter((key) => key !== "oauth2_app" || apps.length > 0);
  const type = h("select", { name: "type" }, types.map((key) => h("option", { value: key }, key === "oauth2_app" ? "OAuth app" : key.replace("_", " "))));
  const fields = h("span", { class: "inline" });
  /** @type {Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>} */
  const inputs = new Map();
  /** @type {HTMLInputElement[]} */
  let scopeBoxes = [];
  const renderFields = () => {
    inputs.clear();
    scopeBoxes = [];
    fields.replaceChildren();
    if (type.value === "oauth2_app") {
      const app = h("select", { name: "app" }, apps.map((item) => h("option", { value: item.id }, `${item.name} (${item.provider})`)));
      inputs.set("app", app);
      // The integration's scopes, its defaults ticked; none ticked means the app's and the defaults.
      scopeBoxes = (offer?.scopes ?? []).map((scope) => h("input", { type: "checkbox", name: "scope", value: scope, checked: offer?.defaultScopes.includes(scope) }));
      fields.append(app, " ", h("span", { class: "scopes" }, scopeBoxes.map((box) => h("label", {}, box, " ", box.value))));
      return;
    }
    for (const field of AUTH_FIELDS[type.value] ?? []) {
      const input = field === "headers"
        ? h("textarea", { name: field, placeholder: '{"X-Api-Key": "…"}', autocomplete: "off" })
        : h("input", { name: field, placeholder: field, type: SECRET_FIELDS.includes(field) ? "password" : "text", autocomplete: "off" });
      inputs.set(field, input);
      fields.append(input, " ");
    }
  };
  type.addEventListener("change", renderFields);
  renderFields();
  const submit = guard(container, async () => {
    const isOAuth = type.value.startsWith("oauth2_");
    /** @type {Record<string, unknown>} */
    const auth = type.value === "oauth2_app" ? { type: "oauth2", grant: "authorization_code" } : isOAuth ? { type: "oauth2", grant: type.value.slice("oauth2_".length) } : { type: type.value };
    const ticked = scopeBoxes.filter((box) => box.checked).map((box) => box.value);
    if (ticked.length > 0) auth.scopes = ticked;
    for (const [field, input] of inputs) {
      if (!input.value) continue;
      auth[field] = field === "headers" ? JSON.parse(input.value) : field === "scopes" ? input.value.split(/[ ,]+/).filter(Boolean) : input.value;
    }
    const result = await api.addConnection(slug, { name: name.value, shared: shared.checked, auth });
    if (result.authorizationUrl) location.assign(webUrl(result.authorizationUrl));
    else await context.refresh();
  });
  return h("section", { class: "card" }, h("h2", {}, "Add a connection"),
    h("form", { class: "inline", onsubmit: submit, "data-testid": "add-connection" }, name, type, fields,
      context.isAdmin ? h("label", {}, shared, " shared") : "", h("button", { type: "submit" }, "Add connection")),
    h("p", { class: "muted" }, "Secrets are write-only: they are stored encrypted and never shown again."));
}

/**
 * The authorization URL comes from an upstream's OAuth metadata, which is untrusted: only an
 * http(s) URL may be navigated to (a `javascript:` one would run in this origin; the CSP
 * blocks it too, this keeps it from depending on that alone).
 * @param {string} url
 */
function webUrl(url) {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`Refusing to open a ${parsed.protocol} authorization URL`);
  return parsed.href;
}
