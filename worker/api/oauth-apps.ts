/**
 * /api/oauth-apps: the OAuth apps (clients) registered once per provider, which connections
 * use so that a person only consents; and /api/oauth-providers, the providers' defaults and
 * the redirect URI to register. Everyone reads (people choose an app when they connect);
 * admins write. A secret is never answered, only its masked hint.
 */
import {
  CALLBACK_PATH,
  createOAuthApp,
  deleteOAuthApp,
  getOAuthApp,
  listOAuthApps,
  OAUTH_APP_INPUT_SCHEMA,
  OAUTH_APP_PATCH_SCHEMA,
  OAUTH_PROVIDERS,
  updateOAuthApp,
  type OAuthAppChanges,
  type OAuthAppInput,
  type OAuthAppView,
} from "../connections";
import { database } from "../db";
import { json } from "../http";
import type { ApiRequest, Route } from "./route";
import { listOf, OAUTH_APP, OAUTH_PROVIDER } from "./schemas";

/** What to register with every provider: this deployment's callback. */
function redirectUriOf(request: ApiRequest): string {
  return `${new URL(request.url).origin}${CALLBACK_PATH}`;
}

const withRedirect = (request: ApiRequest) => (app: OAuthAppView) => ({ ...app, redirectUri: redirectUriOf(request) });

/** The routes of OAuth apps and providers. */
export const OAUTH_APP_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/oauth-providers",
    summary: "The OAuth providers whose endpoints and quirks are known",
    response: { status: 200, description: "Every provider with its defaults and the redirect URI to register (not paged)", schema: listOf(OAUTH_PROVIDER) },
    handler: (request) => {
      const redirectUri = redirectUriOf(request);
      const items = Object.values(OAUTH_PROVIDERS).map((provider) => ({ ...provider, tenant: provider.tenant ?? null, redirectUri }));
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "GET",
    path: "/api/oauth-apps",
    summary: "List OAuth apps",
    response: { status: 200, description: "Every app, by name, with how many connections use it (not paged)", schema: listOf(OAUTH_APP) },
    handler: async (request, env) => {
      const items = (await listOAuthApps(database(env.DB), request.caller.config.allowLocalNetwork)).map(withRedirect(request));
      return json({ items, total: items.length, nextOffset: null });
    },
  },
  {
    method: "POST",
    path: "/api/oauth-apps",
    summary: "Register an OAuth app (admins)",
    admin: true,
    body: OAUTH_APP_INPUT_SCHEMA,
    response: { status: 201, description: "The app; its secret is sealed and only its masked hint is shown", schema: OAUTH_APP },
    handler: async (request, env) => {
      const { config, identity } = request.caller;
      const app = await createOAuthApp(database(env.DB), config.secretKeys, request.input as unknown as OAuthAppInput, identity, config.allowLocalNetwork, Date.now());
      return json(withRedirect(request)(app), 201);
    },
  },
  {
    method: "GET",
    path: "/api/oauth-apps/:id",
    summary: "Read an OAuth app",
    response: { status: 200, description: "The app, without its secret", schema: OAUTH_APP },
    handler: async (request, env) => json(withRedirect(request)(await getOAuthApp(database(env.DB), request.params.id!, request.caller.config.allowLocalNetwork))),
  },
  {
    method: "PATCH",
    path: "/api/oauth-apps/:id",
    summary: "Change an OAuth app, e.g. rotate its secret (admins)",
    admin: true,
    body: OAUTH_APP_PATCH_SCHEMA,
    response: { status: 200, description: "The app as changed; connections use it from their next token request", schema: OAUTH_APP },
    handler: async (request, env) => {
      const { config } = request.caller;
      const app = await updateOAuthApp(database(env.DB), config.secretKeys, request.params.id!, request.input as OAuthAppChanges, config.allowLocalNetwork, Date.now());
      return json(withRedirect(request)(app));
    },
  },
  {
    method: "DELETE",
    path: "/api/oauth-apps/:id",
    summary: "Remove an OAuth app (admins)",
    admin: true,
    query: [
      {
        name: "cascade",
        schema: { type: "boolean", default: false },
        description: "Also remove the connections that use the app (without it, an app in use answers 409 naming how many)",
      },
    ],
    response: { status: 204, description: "Removed, with its secret (and with cascade, the connections using it)" },
    handler: async (request, env) => {
      await deleteOAuthApp(database(env.DB), request.params.id!, request.queryInput.cascade === true);
      return new Response(null, { status: 204 });
    },
  },
];
