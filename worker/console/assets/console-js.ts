/**
 * The console's client code, served at /console.js. It renders every view from the /api
 * JSON with DOM nodes and textContent only, never innerHTML: tool descriptions, arguments and
 * upstream text are untrusted and must render as text. Its fetches are same-origin, so the
 * browser sends `Sec-Fetch-Site: same-origin`, which is what the decision endpoints require.
 */
export const CONSOLE_JS = String.raw`
"use strict";
const boot = JSON.parse(document.body.dataset.boot);
const me = boot.identity;
const isAdmin = me.roles.includes("admin");
const isHuman = me.kind === "user";
const app = document.getElementById("app");

function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const pretty = (value) => JSON.stringify(value, null, 2);
const status = (value) => h("span", { class: "status status-" + value }, value);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "content-type": "application/json", ...(options.headers || {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 204) return null;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error && body.error.message) || "HTTP " + response.status);
  return body;
}

function notice(text, isError) {
  return h("div", { class: "notice" + (isError ? " error" : ""), role: isError ? "alert" : "status" }, text);
}
function guard(container, work) {
  return async (event) => {
    if (event) event.preventDefault();
    const old = container.querySelector(":scope > .notice");
    if (old) old.remove();
    try {
      await work(event);
    } catch (error) {
      container.prepend(notice(error.message, true));
    }
  };
}
function navigate(path) {
  history.pushState(null, "", path);
  route();
}
function link(path, text) {
  return h("a", { href: path, onclick: (event) => { event.preventDefault(); navigate(path); } }, text);
}

// --- Connect ---------------------------------------------------------------------------
function connectView() {
  const url = location.origin + "/mcp";
  const block = { executor: { type: "http", url, headers: { "CF-Access-Client-Id": "<client-id>.access", "CF-Access-Client-Secret": "<client-secret>" } } };
  return [
    h("h1", {}, "Connect an agent"),
    h("section", { class: "card" },
      h("p", {}, "The MCP endpoint of this deployment:"),
      h("pre", { "data-testid": "mcp-url" }, url),
      h("h2", {}, "People: Managed OAuth"),
      h("pre", {}, "npx add-mcp " + url + " --transport http --name executor"),
      h("h2", {}, "Headless agents: a service token"),
      h("pre", {}, "npx add-mcp " + url + " --transport http --name executor \\\n  --header \"CF-Access-Client-Id: <client-id>.access\" \\\n  --header \"CF-Access-Client-Secret: <client-secret>\""),
      h("p", {}, "Or an mcpServers block:"),
      h("pre", {}, pretty(block))),
    h("section", { class: "card" },
      h("h2", {}, "Cloudflare Access checklist"),
      h("ul", {},
        h("li", {}, "One self-hosted Access application covering this whole hostname (no path)."),
        h("li", {}, "Managed OAuth enabled on it, so MCP clients can sign people in."),
        h("li", {}, "A Service Auth policy that includes your service tokens, for headless agents.")),
      h("p", { class: "muted" }, "\"Streamable HTTP error: Unexpected content type: text/html\" means the client got Access's login page instead of this endpoint: enable Managed OAuth, or use a service token.")),
  ];
}

// --- Integrations ----------------------------------------------------------------------
async function integrationsView() {
  const list = await api("/api/integrations");
  const container = h("div", {});
  const rows = list.items.map((item) =>
    h("tr", {},
      h("td", {}, item.kind === "builtin" ? item.slug : link("/integrations/" + item.slug, item.slug)),
      h("td", {}, item.kind), h("td", {}, item.name), h("td", {}, item.toolCount),
      h("td", {}, item.kind === "builtin" || !isAdmin ? "" : [
        h("button", { class: "secondary", onclick: guard(container, async () => {
          const diff = await api("/api/integrations/" + item.slug + "/refresh", { method: "POST", body: {} });
          container.prepend(notice("Refreshed " + item.slug + ": " + diff.added.length + " added, " + diff.removed.length + " removed, " + diff.changed.length + " changed"));
        }) }, "Refresh"), " ",
        h("button", { class: "danger", onclick: guard(container, async () => {
          if (!confirm("Remove " + item.slug + " with its tools and connections?")) return;
          await api("/api/integrations/" + item.slug, { method: "DELETE" });
          route();
        }) }, "Remove"),
      ])));
  container.append(
    h("h1", {}, "Integrations"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Slug"), h("th", {}, "Kind"), h("th", {}, "Name"), h("th", {}, "Tools"), h("th", {}, ""))), h("tbody", {}, rows)));
  if (isAdmin) container.append(addIntegrationForm(container));
  return container;
}

function addIntegrationForm(container) {
  const url = h("input", { name: "url", placeholder: "https://api.example.com/openapi.json", size: 50 });
  const slug = h("input", { name: "slug", placeholder: "slug (optional)" });
  const spec = h("textarea", { name: "spec", placeholder: "…or paste an OpenAPI document (JSON or YAML)" });
  const detected = h("div", {});
  let kind = "openapi";
  const add = guard(container, async () => {
    const body = spec.value.trim() ? { kind: "openapi", spec: spec.value, slug: slug.value || undefined } : { kind, url: url.value, slug: slug.value || undefined };
    const result = await api("/api/integrations", { method: "POST", body });
    navigate("/integrations/" + result.slug);
  });
  const detect = guard(container, async () => {
    const result = await api("/api/integrations/detect", { method: "POST", body: { url: url.value } });
    kind = result.kind;
    detected.replaceChildren(notice("Detected " + result.kind + (result.name ? " \u201c" + result.name + "\u201d" : "") + (result.toolCount !== undefined ? ", " + result.toolCount + " tools" : "")),
      h("button", { onclick: add, "data-testid": "confirm-add" }, "Add " + result.kind + " integration"));
  });
  return h("section", { class: "card" }, h("h2", {}, "Add an integration"),
    h("form", { class: "inline", onsubmit: detect }, url, slug, h("button", { type: "submit" }, "Detect")),
    detected, spec, h("button", { class: "secondary", onclick: add }, "Add pasted spec"));
}

async function integrationView(slug) {
  const item = await api("/api/integrations/" + encodeURIComponent(slug));
  const container = h("div", {});
  const connectedName = new URLSearchParams(location.search).get("connected");
  if (connectedName) container.append(notice("Connected " + connectedName + "."));
  const rows = item.connections.map((c) =>
    h("tr", {},
      h("td", {}, c.name), h("td", {}, c.shared ? "shared" : "personal"), h("td", {}, c.authType), h("td", {}, c.maskedHint || ""),
      h("td", {}, status(c.status)), h("td", {}, when(c.lastUsedAt)),
      h("td", {},
        h("button", { class: "secondary", onclick: guard(container, async () => {
          const result = await api("/api/integrations/" + slug + "/connections/" + c.name + "/test", { method: "POST", body: {} });
          container.prepend(notice((result.ok ? "OK: " : "Failed: ") + result.message, !result.ok));
        }) }, "Test"), " ",
        c.shared && !isAdmin ? "" : h("button", { class: "danger", onclick: guard(container, async () => {
          if (!confirm("Remove connection " + c.name + "?")) return;
          await api("/api/integrations/" + slug + "/connections/" + c.name + (c.shared ? "?shared=true" : ""), { method: "DELETE" });
          route();
        }) }, "Remove"))));
  container.append(
    h("h1", {}, item.name + " (" + item.slug + ")"),
    h("p", { class: "muted" }, item.kind + " \u00b7 " + item.toolCount + " tools \u00b7 " + (item.baseUrl || item.sourceUrl || "")),
    h("p", {}, link("/tools?integration=" + item.slug, "Browse its tools")),
    h("h2", {}, "Connections"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Name", "Owner", "Type", "Credential", "Status", "Last used", ""].map((t) => h("th", {}, t)))), h("tbody", {}, rows)),
    addConnectionForm(container, slug));
  return container;
}

const AUTH_FIELDS = {
  none: [], bearer: ["token"], basic: ["username", "password"], apiKey: ["key", "name", "in"],
  headers: ["headers"], oauth2_client_credentials: ["clientId", "clientSecret", "scopes"], oauth2_authorization_code: ["clientId", "clientSecret", "scopes"],
};
function addConnectionForm(container, slug) {
  const name = h("input", { name: "name", placeholder: "name, e.g. work", required: true });
  const shared = h("input", { type: "checkbox", name: "shared" });
  const type = h("select", { name: "type" }, Object.keys(AUTH_FIELDS).map((key) => h("option", { value: key }, key.replace("_", " "))));
  const fields = h("span", { class: "inline" });
  const inputs = {};
  const renderFields = () => {
    fields.replaceChildren();
    for (const field of AUTH_FIELDS[type.value]) {
      const secret = ["token", "password", "key", "clientSecret"].includes(field);
      inputs[field] = h(field === "headers" ? "textarea" : "input", { name: field, placeholder: field === "headers" ? '{"X-Api-Key": "…"}' : field, type: secret ? "password" : "text", autocomplete: "off" });
      fields.append(inputs[field], " ");
    }
  };
  type.addEventListener("change", renderFields);
  renderFields();
  const submit = guard(container, async () => {
    const [kind, grant] = type.value.startsWith("oauth2") ? ["oauth2", type.value.slice("oauth2_".length)] : [type.value];
    const auth = { type: kind };
    if (grant) auth.grant = grant;
    for (const [field, input] of Object.entries(inputs)) {
      if (!AUTH_FIELDS[type.value].includes(field) || !input.value) continue;
      auth[field] = field === "headers" ? JSON.parse(input.value) : field === "scopes" ? input.value.split(/[ ,]+/).filter(Boolean) : input.value;
    }
    const result = await api("/api/integrations/" + slug + "/connections", { method: "POST", body: { name: name.value, shared: shared.checked, auth } });
    if (result.authorizationUrl) location.assign(result.authorizationUrl);
    else route();
  });
  return h("section", { class: "card" }, h("h2", {}, "Add a connection"),
    h("form", { class: "inline", onsubmit: submit, "data-testid": "add-connection" }, name, type, fields,
      isAdmin ? h("label", {}, shared, " shared") : "", h("button", { type: "submit" }, "Add connection")),
    h("p", { class: "muted" }, "Secrets are write-only: they are stored encrypted and never shown again."));
}

// --- Tools -------------------------------------------------------------------------------
async function toolsView() {
  const params = new URLSearchParams(location.search);
  const q = h("input", { name: "q", placeholder: "search tools", value: params.get("q") || "", size: 40 });
  const results = h("div", {});
  const container = h("div", {}, h("h1", {}, "Tools"),
    h("form", { class: "inline", onsubmit: (event) => { event.preventDefault(); search(); } }, q, h("button", { type: "submit" }, "Search")), results);
  async function search() {
    const query = new URLSearchParams({ q: q.value, limit: "100" });
    if (params.get("integration")) query.set("integration", params.get("integration"));
    const list = await api("/api/tools?" + query);
    const groups = new Map();
    for (const tool of list.items) groups.set(tool.integration, [...(groups.get(tool.integration) || []), tool]);
    results.replaceChildren(h("p", { class: "muted" }, list.total + " tools"), ...[...groups].map(([integration, tools]) =>
      h("section", { class: "card" }, h("h2", {}, integration), h("table", {}, h("tbody", {}, tools.map((tool) => toolRow(container, tool)))))));
  }
  await search();
  return container;
}

function toolRow(container, tool) {
  const detail = h("div", {});
  const setPolicy = (action) => guard(container, async () => {
    await api("/api/policies", { method: "POST", body: { pattern: tool.address, action, position: 0 } });
    container.prepend(notice(tool.address + " is now " + action));
  });
  return h("tr", { "data-address": tool.address },
    h("td", {}, h("a", { href: "#", onclick: guard(container, async () => {
      const full = await api("/api/tools/" + encodeURIComponent(tool.address));
      detail.replaceChildren(h("pre", { class: "signature" }, full.typescript));
    }) }, tool.address), detail),
    h("td", {}, tool.description),
    h("td", {}, "default ", status(tool.defaultPolicy), h("br"), "now ", status(tool.policy)),
    h("td", {}, isAdmin ? ["allow", "approve", "block"].map((action) => h("button", { class: "secondary", onclick: setPolicy(action) }, action)) : ""));
}

// --- Policies ----------------------------------------------------------------------------
async function policiesView() {
  const [list, catalog] = await Promise.all([api("/api/policies"), api("/api/tools?limit=100")]);
  const container = h("div", {});
  const matches = (pattern) => catalog.items.filter((tool) => patternMatches(pattern, tool.address)).length;
  const rows = list.items.map((p, index) =>
    h("tr", {},
      h("td", {}, p.position), h("td", {}, h("code", {}, p.pattern)), h("td", {}, status(p.action)),
      h("td", { class: "muted" }, "matches " + matches(p.pattern) + (catalog.total > catalog.items.length ? "+" : "") + " tools"),
      h("td", {}, !isAdmin ? "" : [
        h("button", { class: "secondary", disabled: index === 0, onclick: guard(container, async () => { await api("/api/policies/" + p.id, { method: "PATCH", body: { position: p.position - 1 } }); route(); }) }, "\u2191"), " ",
        h("button", { class: "secondary", disabled: index === list.items.length - 1, onclick: guard(container, async () => { await api("/api/policies/" + p.id, { method: "PATCH", body: { position: p.position + 1 } }); route(); }) }, "\u2193"), " ",
        h("button", { class: "danger", onclick: guard(container, async () => { await api("/api/policies/" + p.id, { method: "DELETE" }); route(); }) }, "Delete"),
      ])));
  container.append(h("h1", {}, "Policies"),
    h("p", { class: "muted" }, "The first rule whose pattern matches a tool decides; * matches one segment, a trailing * the rest. Without a match, reads run and writes need approval."),
    h("table", {}, h("thead", {}, h("tr", {}, ["#", "Pattern", "Action", "", ""].map((t) => h("th", {}, t)))), h("tbody", {}, rows)));
  if (isAdmin) {
    const pattern = h("input", { name: "pattern", placeholder: "github.issues.*", required: true });
    const preview = h("span", { class: "muted" });
    pattern.addEventListener("input", () => { preview.textContent = pattern.value ? "matches " + matches(pattern.value) + " tools" : ""; });
    const action = h("select", { name: "action" }, ["allow", "approve", "block"].map((a) => h("option", { value: a }, a)));
    container.append(h("section", { class: "card" }, h("h2", {}, "Add a rule"),
      h("form", { class: "inline", "data-testid": "add-policy", onsubmit: guard(container, async () => {
        await api("/api/policies", { method: "POST", body: { pattern: pattern.value, action: action.value } });
        route();
      }) }, pattern, action, h("button", { type: "submit" }, "Add rule"), preview)));
  }
  return container;
}

function patternMatches(pattern, address) {
  const wanted = pattern.split(".");
  const actual = address.split(".");
  for (let i = 0; i < wanted.length; i += 1) {
    if (wanted[i] === "*" && i === wanted.length - 1) return actual.length > i;
    if (i >= actual.length || (wanted[i] !== "*" && wanted[i] !== actual[i])) return false;
  }
  return wanted.length === actual.length;
}

// --- Executions --------------------------------------------------------------------------
async function executionsView() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams({ limit: "50" });
  if (params.get("status")) query.set("status", params.get("status"));
  if (params.get("identity")) query.set("identity", params.get("identity"));
  const [list, queue] = await Promise.all([api("/api/executions?" + query), api("/api/executions?status=paused&limit=50")]);
  const statusFilter = h("select", { name: "status" }, ["", "running", "paused", "completed", "failed", "cancelled", "expired"].map((s) => h("option", { value: s, selected: s === (params.get("status") || "") }, s || "any status")));
  const identity = h("input", { name: "identity", placeholder: "identity, e.g. user:ada@example.com", value: params.get("identity") || "" });
  const table = (items) => h("table", {}, h("thead", {}, h("tr", {}, ["When", "Who", "Status", "Code", ""].map((t) => h("th", {}, t)))),
    h("tbody", {}, items.map((e) => h("tr", {}, h("td", {}, when(e.createdAt)), h("td", {}, e.identityLabel), h("td", {}, status(e.status)),
      h("td", {}, h("code", {}, e.codePreview)), h("td", {}, link("/executions/" + e.id, "Open"))))));
  return h("div", {},
    h("h1", {}, "Executions"),
    queue.items.length > 0 ? h("section", { class: "card" }, h("h2", {}, "Waiting for a decision"), table(queue.items)) : "",
    h("form", { class: "inline", onsubmit: (event) => { event.preventDefault(); navigate("/executions?" + new URLSearchParams({ status: statusFilter.value, identity: identity.value })); } },
      statusFilter, identity, h("button", { type: "submit" }, "Filter")),
    table(list.items));
}

async function executionView(id) {
  const e = await api("/api/executions/" + encodeURIComponent(id));
  const container = h("div", {});
  const pending = e.status === "paused" ? e.calls.find((call) => call.callId === e.pausedCallId) : null;
  const decide = (decision) => guard(container, async () => {
    await api("/api/executions/" + e.id + "/" + decision, { method: "POST", body: { callId: pending.callId } });
    // Run it on now when this person may (its owner or an admin); else the agent resumes it.
    if (isAdmin || e.identity.id === me.id) await api("/api/executions/" + e.id + "/resume", { method: "POST", body: { waitSeconds: 0 } });
    route();
  });
  container.append(
    h("h1", {}, "Execution ", h("code", {}, e.id)),
    h("p", {}, status(e.status), " \u00b7 by ", e.identity.label, " \u00b7 ", when(e.createdAt), e.durationMs !== null ? " \u00b7 " + e.durationMs + " ms" : ""));
  if (pending) {
    container.append(h("section", { class: "card", "data-testid": "approval" },
      h("h2", {}, "Approval needed"),
      h("p", {}, h("code", {}, pending.tool), " asked by ", e.identity.label, " at ", when(pending.startedAt), pending.connection ? " with connection " + pending.connection : "", ". Expires ", when(e.expiresAt), "."),
      h("pre", { class: "args" }, pretty(pending.args)),
      isHuman ? [h("button", { onclick: decide("approve") }, "Approve"), " ", h("button", { class: "danger", onclick: decide("decline") }, "Decline")] : h("p", { class: "muted" }, "Only a person can decide."),
      e.identity.id === me.id || isAdmin ? [" ", h("button", { class: "secondary", onclick: guard(container, async () => { await api("/api/executions/" + e.id + "/cancel", { method: "POST", body: {} }); route(); }) }, "Cancel execution")] : ""));
  }
  if (e.error) container.append(notice(e.error.code + ": " + e.error.message, true));
  if (e.result !== undefined) container.append(h("h2", {}, "Result"), h("pre", { class: "result" }, pretty(e.result)));
  container.append(h("h2", {}, "Code"), h("pre", {}, e.code));
  if (e.logs.length > 0) container.append(h("h2", {}, "Logs"), h("pre", {}, e.logs.join("\n")));
  container.append(h("h2", {}, "Calls"), h("table", {}, h("thead", {}, h("tr", {}, ["#", "Call", "Arguments", "Policy", "Outcome", "Decision"].map((t) => h("th", {}, t)))),
    h("tbody", {}, e.calls.map((call) => h("tr", {},
      h("td", {}, call.callId), h("td", {}, call.kind === "tool" ? h("code", {}, call.tool) : call.kind),
      h("td", {}, h("pre", {}, pretty(call.args))), h("td", {}, call.policy ? status(call.policy) : ""),
      h("td", {}, status(call.status), call.error ? h("div", { class: "muted" }, call.error.code + ": " + call.error.message) : ""),
      h("td", {}, call.decision ? call.decision + " by " + call.decidedBy : ""))))));
  return container;
}

// --- Routing -----------------------------------------------------------------------------
const VIEWS = [
  [/^\/$/, connectView],
  [/^\/integrations$/, integrationsView],
  [/^\/integrations\/([^/]+)$/, (slug) => integrationView(decodeURIComponent(slug))],
  [/^\/tools$/, toolsView],
  [/^\/policies$/, policiesView],
  [/^\/executions$/, executionsView],
  [/^\/executions\/([^/]+)$/, (id) => executionView(decodeURIComponent(id))],
];

async function route() {
  for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("active", location.pathname === a.getAttribute("href") || (a.getAttribute("href") !== "/" && location.pathname.startsWith(a.getAttribute("href"))));
  for (const [pattern, view] of VIEWS) {
    const match = pattern.exec(location.pathname);
    if (!match) continue;
    try {
      const content = await view(...match.slice(1));
      app.replaceChildren(...[content].flat());
    } catch (error) {
      app.replaceChildren(notice(error.message, true));
    }
    document.body.dataset.ready = location.pathname;
    return;
  }
}

for (const a of document.querySelectorAll("header nav a")) a.addEventListener("click", (event) => { event.preventDefault(); navigate(a.getAttribute("href")); });
window.addEventListener("popstate", route);
route();
`;
