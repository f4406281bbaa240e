// @ts-check
/**
 * The OAuth apps view (/oauth-apps): the clients registered once per provider, which people
 * pick when they connect so that they only consent. It shows the redirect URI to register
 * with each provider; admins add apps (each provider asks for its own fields: a tenant for
 * Microsoft, bot scopes for Slack, endpoints for a generic server), rotate a secret, and
 * remove an app (the connections using it too, after saying how many). Secrets are
 * write-only: the API answers a masked hint.
 */
import * as api from "./api-client.js";
import { guard, h, notice, table } from "./dom.js";

/** @type {import("./console.js").View} */
export async function oauthAppsView(context) {
  const [apps, providers] = await Promise.all([api.listOAuthApps(), api.listOAuthProviders()]);
  const container = h("div", {});
  const redirectUri = providers.items[0]?.redirectUri ?? `${location.origin}/api/oauth/callback`;
  const names = new Map(providers.items.map((provider) => [provider.id, provider.name]));
  const rows = apps.items.map((app) => appRow(container, context, app, names.get(app.provider) ?? app.provider));
  container.append(
    h("h1", {}, "OAuth apps"),
    h("section", { class: "card" },
      h("p", {}, "Register one app per provider, once, with this redirect URI; people then connect by consenting, with no client id or secret to paste."),
      h("pre", { "data-testid": "redirect-uri" }, redirectUri)),
    table(["Name", "Provider", "Client id", "Secret", "Settings", "Scopes", "Connections", ""], rows));
  if (context.isAdmin) container.append(addAppForm(container, context, providers.items));
  return container;
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.OAuthApp} app
 * @param {string} providerName
 */
function appRow(container, context, app, providerName) {
  const settings = [app.tenant ? `tenant ${app.tenant}` : "", app.botScopes.length > 0 ? `bot scopes ${app.botScopes.join(", ")}` : ""].filter(Boolean).join("; ");
  const rotate = h("form", { class: "inline", hidden: true, onsubmit: guard(container, async () => {
    await api.updateOAuthApp(app.id, { clientSecret: secret.value });
    await context.refresh();
  }) });
  const secret = h("input", { type: "password", name: "clientSecret", placeholder: "new client secret", autocomplete: "off", required: true });
  rotate.append(secret, h("button", { type: "submit" }, "Save"));
  const remove = guard(container, async () => {
    if (!confirm(`Remove the OAuth app ${app.name}?`)) return;
    try {
      await api.deleteOAuthApp(app.id, false);
    } catch (thrown) {
      // In use: the server says how many connections; removing them too is a second, explicit choice.
      if (!confirm(`${thrown instanceof Error ? thrown.message : thrown}\n\nRemove the app and those connections?`)) return;
      await api.deleteOAuthApp(app.id, true);
    }
    await context.refresh();
  });
  return h("tr", {},
    h("td", {}, app.name), h("td", {}, providerName), h("td", {}, h("code", {}, app.clientId)), h("td", {}, app.maskedHint ?? "none"),
    h("td", {}, settings), h("td", {}, app.scopes.join(" ")), h("td", {}, app.connectionCount),
    h("td", {}, !context.isAdmin ? "" : [
      h("button", { class: "secondary", onclick: () => { rotate.hidden = !rotate.hidden; } }, "Rotate secret"), " ",
      h("button", { class: "danger", onclick: remove }, "Remove"), rotate,
    ]));
}

/**
 * The add form: the provider chosen first, then the fields it needs.
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.OAuthProvider[]} providers
 */
function addAppForm(container, context, providers) {
  const provider = h("select", { name: "provider" }, providers.map((item) => h("option", { value: item.id }, item.name)));
  const fields = h("div", {});
  const help = h("div", { class: "muted" });
  /** @type {Map<string, HTMLInputElement>} */
  const inputs = new Map();
  const input = (/** @type {string} */ name, /** @type {string} */ placeholder, /** @type {Record<string, string | boolean>} */ extra = {}) => {
    const element = h("input", { name, placeholder, autocomplete: "off", size: 40, ...extra });
    inputs.set(name, element);
    return element;
  };
  const render = () => {
    const chosen = providers.find((item) => item.id === provider.value) ?? providers[0];
    inputs.clear();
    fields.replaceChildren(
      h("div", { class: "inline" }, input("name", "name, e.g. Google Workspace", { required: true }), input("clientId", "client id", { required: true })),
      h("div", { class: "inline" }, input("clientSecret", "client secret", { type: "password" }), input("scopes", `scopes for every connection (optional), e.g. ${chosen?.exampleScopes.slice(0, 2).join(" ") ?? ""}`)),
      chosen?.tenant ? h("div", { class: "inline" }, input("tenant", `tenant: ${chosen.tenant.description}`)) : "",
      chosen?.botScopes ? h("div", { class: "inline" }, input("botScopes", "bot scopes (optional), e.g. chat:write")) : "",
      chosen && !chosen.authorizationUrl
        ? h("div", { class: "inline" }, input("authorizationUrl", "authorization endpoint (https://…)", { required: true }), input("tokenUrl", "token endpoint (https://…)", { required: true }))
        : "");
    help.replaceChildren(
      chosen?.registerAt ? h("p", {}, "Register the app at ", h("a", { href: chosen.registerAt, target: "_blank", rel: "noopener noreferrer" }, chosen.registerAt), " with the redirect URI above.") : "",
      chosen ? h("p", {}, chosen.tokens) : "",
      chosen && chosen.requiredScopes.length > 0 ? h("p", {}, `Always asked for: ${chosen.requiredScopes.join(" ")} (so a refresh token is issued).`) : "");
  };
  provider.addEventListener("change", render);
  render();
  const submit = guard(container, async () => {
    /** @type {Record<string, unknown>} */
    const body = { provider: provider.value };
    for (const [name, element] of inputs) {
      const value = element.value.trim();
      if (!value) continue;
      body[name] = name === "scopes" || name === "botScopes" ? value.split(/[\s,]+/).filter(Boolean) : value;
    }
    await api.createOAuthApp(body);
    await context.refresh();
  });
  return h("section", { class: "card" }, h("h2", {}, "Add an OAuth app"),
    h("form", { onsubmit: submit, "data-testid": "add-oauth-app" }, h("div", { class: "inline" }, provider), help, fields, h("button", { type: "submit" }, "Add app")),
    notice("The client secret is stored encrypted and never shown again; rotating it here applies to every connection at its next refresh."));
}
