// @ts-check
/**
 * The console's entry module, loaded by every page shell as `<script type="module">`.
 * The Worker has already matched the path to a view and put its name and parameters in the
 * body's `data-boot`, with the signed-in identity; this module renders that view into #app
 * and marks the body `data-ready` with the path when done. There is no client-side router:
 * moving between views is an ordinary link or GET form, a full page load.
 */
import { connectView } from "./connect.js";
import { h, flatten, messageOf, notice } from "./dom.js";
import { executionsView, executionView } from "./executions.js";
import { integrationsView, integrationView } from "./integrations.js";
import { oauthAppsView } from "./oauth-apps.js";
import { policiesView } from "./policies.js";
import { presetsView } from "./presets.js";
import { settingsView } from "./settings.js";
import { toolkitsView } from "./toolkits.js";
import { toolsView } from "./tools.js";

/**
 * What the Worker puts in `data-boot` (worker/console/console.ts).
 * @typedef {{ identity: import("./api-client.js").Identity, org: { name: string, slug: string },
 *   view: string, params: Record<string, string> }} Boot
 */
/**
 * What every view is given.
 * @typedef {{ me: import("./api-client.js").Identity, isAdmin: boolean, isHuman: boolean,
 *   params: Record<string, string>, query: URLSearchParams,
 *   refresh: () => Promise<void> }} ViewContext
 */
/** @typedef {(context: ViewContext) => Promise<import("./dom.js").Child> | import("./dom.js").Child} View */

/** The views by the names the Worker uses. @type {Record<string, View>} */
const VIEWS = {
  connect: connectView,
  integrations: integrationsView,
  integration: integrationView,
  presets: presetsView,
  "oauth-apps": oauthAppsView,
  tools: toolsView,
  toolkits: toolkitsView,
  policies: policiesView,
  executions: executionsView,
  execution: executionView,
  settings: settingsView,
};

const app = /** @type {HTMLElement} */ (document.getElementById("app"));
/** @type {Boot} */
const boot = JSON.parse(document.body.dataset.boot ?? "{}");

/** @type {ViewContext} */
const context = {
  me: boot.identity,
  isAdmin: boot.identity.roles.includes("admin"),
  isHuman: boot.identity.kind === "user",
  params: boot.params,
  query: new URLSearchParams(location.search),
  refresh: render,
};

/** Renders the boot data's view (again, after a change). */
async function render() {
  const view = Object.hasOwn(VIEWS, boot.view) ? VIEWS[boot.view] : undefined;
  try {
    app.replaceChildren(...flatten([view ? await view(context) : h("p", {}, `Unknown view ${boot.view}`)]));
  } catch (thrown) {
    app.replaceChildren(notice(messageOf(thrown), true));
  }
  document.body.dataset.ready = location.pathname;
}

void render();
