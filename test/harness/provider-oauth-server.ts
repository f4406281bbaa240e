/**
 * A real OAuth 2.0 authorization server on 127.0.0.1 that behaves like the big providers do
 * where they differ from the RFC, for the OAuth-app tests. One registered client (what an
 * admin registers once); every person who opens the authorization URL consents as the user
 * named by the `x-test-user` header (the browser's signed-in account).
 *
 * - `google`: a refresh token only when the URL says `access_type=offline` and
 *   `prompt=consent` (Google issues one on a repeated consent only with the prompt); refresh
 *   answers carry no new refresh token; the client may authenticate with Basic or the body.
 * - `microsoft`: a refresh token only when the scopes include `offline_access`; refresh tokens
 *   rotate; the client authenticates in the body.
 * - `slack`: scopes as `user_scope` (comma-separated); the user token inside `authed_user`,
 *   the top level holding the bot token when `scope` was asked; refusals are HTTP 200
 *   `{ok:false, error}`.
 * - `github`: tokens without `expires_in` and no refresh token; a form-encoded answer unless
 *   the client asks for JSON; refusals are HTTP 200 `{error}`.
 *
 * PKCE (S256) is checked on every code exchange. `tokenInfo` lets a test API check a token.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ProviderStyle = "google" | "microsoft" | "slack" | "github";

export interface IssuedToken {
  user: string;
  scopes: string[];
  kind: "user" | "bot";
}

export interface ProviderOAuthServer {
  origin: string;
  authorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  /** The client secret in force; `rotateSecret` replaces it (the old one stops working). */
  clientSecret: string;
  /** Every authorization request's query, in order (what the Worker put on the URL). */
  authorizations: URLSearchParams[];
  /** Every authorization request's path (a tenant appears there). */
  authorizationPaths: string[];
  /** Every token request's form, with how the client authenticated. */
  tokenRequests: { form: URLSearchParams; clientAuth: "basic" | "body" | "none"; accept: string }[];
  /** Access token lifetime for tokens issued from now on, in seconds. */
  accessTokenSeconds: number;
  refreshCount: number;
  tokenInfo(accessToken: string): IssuedToken | null;
  rotateSecret(): string;
  /** Forgets every refresh token (a revocation). */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

const sha256Base64Url = (text: string) => createHash("sha256").update(text).digest("base64url");

export async function startProviderOAuthServer(style: ProviderStyle, options: { clientId?: string; clientSecret?: string } = {}): Promise<ProviderOAuthServer> {
  const codes = new Map<string, { user: string; scopes: string[]; botScopes: string[]; redirectUri: string; challenge: string; offline: boolean }>();
  const accessTokens = new Map<string, IssuedToken & { expiresAt: number }>();
  const refreshTokens = new Map<string, { user: string; scopes: string[] }>();

  const state: ProviderOAuthServer = {
    origin: "",
    authorizationUrl: "",
    tokenUrl: "",
    clientId: options.clientId ?? `client-${style}-0123456789`,
    clientSecret: options.clientSecret ?? `secret-${style}-${randomUUID()}`,
    authorizations: [],
    authorizationPaths: [],
    tokenRequests: [],
    accessTokenSeconds: 3600,
    refreshCount: 0,
    tokenInfo(token) {
      const found = accessTokens.get(token);
      return found && found.expiresAt > Date.now() ? { user: found.user, scopes: found.scopes, kind: found.kind } : null;
    },
    rotateSecret() {
      state.clientSecret = `secret-${style}-${randomUUID()}`;
      return state.clientSecret;
    },
    revokeRefreshTokens() {
      refreshTokens.clear();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const issue = (user: string, scopes: string[], kind: "user" | "bot") => {
    const token = `${style}-at-${kind}-${randomUUID()}`;
    accessTokens.set(token, { user, scopes, kind, expiresAt: Date.now() + state.accessTokenSeconds * 1000 });
    return token;
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", state.origin);
      const send = (status: number, body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) => {
        response.writeHead(status, headers);
        response.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      // Any path ending so: a Microsoft-like server puts the tenant before it (/{tenant}/authorize).
      if (request.method === "GET" && url.pathname.endsWith("/authorize")) return authorize(request, url, send);
      if (request.method === "POST" && url.pathname.endsWith("/token")) return token(request, Buffer.concat(chunks).toString("utf8"), send, response);
      send(404, { error: "not_found" });
    });
  });

  type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

  function authorize(request: IncomingMessage, url: URL, send: Send): void {
    const query = url.searchParams;
    state.authorizations.push(query);
    state.authorizationPaths.push(url.pathname);
    const user = String(request.headers["x-test-user"] ?? "");
    const redirectUri = query.get("redirect_uri") ?? "";
    if (!user) return send(400, { error: "no signed-in user (x-test-user)" });
    if (query.get("client_id") !== state.clientId) return send(400, { error: "invalid_client" });
    if (query.get("response_type") !== "code" || query.get("code_challenge_method") !== "S256" || !query.get("code_challenge")) return send(400, { error: "invalid_request" });
    const separator = style === "slack" ? "," : " ";
    const split = (value: string | null) => (value ? value.split(separator).filter(Boolean) : []);
    const scopes = style === "slack" ? split(query.get("user_scope")) : split(query.get("scope"));
    const botScopes = style === "slack" ? split(query.get("scope")) : [];
    const offline =
      style === "google" ? query.get("access_type") === "offline" && query.get("prompt") === "consent" : style === "microsoft" ? scopes.includes("offline_access") : false;
    const code = `code-${randomUUID()}`;
    codes.set(code, { user, scopes, botScopes, redirectUri, challenge: query.get("code_challenge")!, offline });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    back.searchParams.set("state", query.get("state") ?? "");
    send(302, "", { location: back.href });
  }

  function token(request: IncomingMessage, body: string, send: Send, response: import("node:http").ServerResponse): void {
    const form = new URLSearchParams(body);
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    let clientAuth: "basic" | "body" | "none" = clientSecret ? "body" : "none";
    const basic = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ""));
    if (basic) {
      const [id, secret] = Buffer.from(basic[1]!, "base64").toString("utf8").split(":").map(decodeURIComponent);
      clientId = id ?? null;
      clientSecret = secret ?? null;
      clientAuth = "basic";
    }
    const accept = String(request.headers.accept ?? "");
    state.tokenRequests.push({ form, clientAuth, accept });
    // GitHub and Slack refuse with 200; the others with 400, as RFC 6749 §5.2 says.
    const refuse = (error: string) => (style === "github" || style === "slack" ? send(200, style === "slack" ? { ok: false, error } : { error }) : send(400, { error }));
    if (clientId !== state.clientId || clientSecret !== state.clientSecret) return refuse("invalid_client");
    // Slack and GitHub document only the body for the client's credentials.
    if ((style === "slack" || style === "github" || style === "microsoft") && clientAuth !== "body") return refuse("invalid_client");

    if (form.get("grant_type") === "authorization_code") {
      const pending = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (!pending || pending.redirectUri !== form.get("redirect_uri") || sha256Base64Url(form.get("code_verifier") ?? "") !== pending.challenge) return refuse("invalid_grant");
      return answer(pending.user, pending.scopes, pending.botScopes, pending.offline, accept, send, response);
    }
    if (form.get("grant_type") === "refresh_token") {
      const known = refreshTokens.get(form.get("refresh_token") ?? "");
      if (!known) return refuse("invalid_grant");
      state.refreshCount += 1;
      const accessToken = issue(known.user, known.scopes, "user");
      if (style === "microsoft") {
        // Rotation: the refresh token is spent once.
        refreshTokens.delete(form.get("refresh_token")!);
        const next = `${style}-rt-${randomUUID()}`;
        refreshTokens.set(next, known);
        return send(200, { access_token: accessToken, token_type: "Bearer", expires_in: state.accessTokenSeconds, refresh_token: next, scope: known.scopes.join(" ") });
      }
      return send(200, { access_token: accessToken, token_type: "Bearer", expires_in: state.accessTokenSeconds, scope: known.scopes.join(" ") });
    }
    refuse("unsupported_grant_type");
  }

  function answer(user: string, scopes: string[], botScopes: string[], offline: boolean, accept: string, send: Send, response: import("node:http").ServerResponse): void {
    if (style === "github") {
      const fields = { access_token: issue(user, scopes, "user"), token_type: "bearer", scope: scopes.join(",") };
      if (!/application\/json/.test(accept)) {
        response.writeHead(200, { "content-type": "application/x-www-form-urlencoded" });
        return void response.end(new URLSearchParams(fields).toString());
      }
      return send(200, fields);
    }
    if (style === "slack") {
      const authedUser = scopes.length > 0 ? { id: user, scope: scopes.join(","), access_token: issue(user, scopes, "user"), token_type: "user" } : { id: user };
      const bot = botScopes.length > 0 ? { access_token: issue(`bot-for-${user}`, botScopes, "bot"), token_type: "bot", scope: botScopes.join(",") } : {};
      return send(200, { ok: true, app_id: "A0TEST", authed_user: authedUser, ...bot, team: { id: "T0TEST" } });
    }
    const body: Record<string, unknown> = { access_token: issue(user, scopes, "user"), token_type: "Bearer", expires_in: state.accessTokenSeconds, scope: scopes.join(" ") };
    if (offline) {
      const refresh = `${style}-rt-${randomUUID()}`;
      refreshTokens.set(refresh, { user, scopes });
      body.refresh_token = refresh;
    }
    send(200, body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.authorizationUrl = `${state.origin}/authorize`;
  state.tokenUrl = `${state.origin}/token`;
  return state;
}

/** What a browser signed in as `user` does with an authorization URL: the server consents and sends it back. */
export async function consentAs(user: string, authorizationUrl: string): Promise<URL> {
  const response = await fetch(authorizationUrl, { redirect: "manual", headers: { "x-test-user": user } });
  if (response.status !== 302) throw new Error(`the authorization server answered ${response.status}: ${await response.text()}`);
  return new URL(response.headers.get("location")!);
}
