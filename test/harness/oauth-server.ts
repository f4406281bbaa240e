/**
 * A real OAuth 2.1 authorization server for the tests: the MCP SDK's auth router (metadata,
 * dynamic client registration, /authorize, /token with PKCE checks) over its demo in-memory
 * provider, extended here with rotating refresh tokens and short-lived access tokens so
 * refresh and refresh failure can be exercised. The "user" approves every request at once.
 */
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { InvalidGrantError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { mcpAuthRouter } from "@modelcontextprotocol/sdk/server/auth/router.js";
import { DemoInMemoryAuthProvider } from "@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js";
import type { OAuthClientInformationFull, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

export interface OAuthServer {
  origin: string;
  provider: RotatingProvider;
  close(): Promise<void>;
}

export class RotatingProvider extends DemoInMemoryAuthProvider {
  /** Access token lifetime in seconds for tokens issued from now on. */
  accessTokenSeconds = 3600;
  readonly refreshTokens = new Map<string, { clientId: string; scopes: string[] }>();
  refreshCount = 0;
  /** Whether new tokens come with a refresh token. */
  issueRefreshTokens = true;

  override async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string, verifier?: string): Promise<OAuthTokens> {
    const tokens = await super.exchangeAuthorizationCode(client, code, verifier);
    return this.withRefresh(client, tokens);
  }

  override async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string): Promise<OAuthTokens> {
    const known = this.refreshTokens.get(refreshToken);
    if (!known || known.clientId !== client.client_id) throw new InvalidGrantError("invalid refresh token");
    // Rotation: a refresh token is spent once.
    this.refreshTokens.delete(refreshToken);
    this.refreshCount += 1;
    const token = randomUUID();
    this.issuedTokens().set(token, { token, clientId: client.client_id, scopes: known.scopes, expiresAt: Date.now() + this.accessTokenSeconds * 1000, type: "access" } as never);
    return this.withRefresh(client, { access_token: token, token_type: "bearer", expires_in: this.accessTokenSeconds });
  }

  /**
   * Forgets every access token issued so far, refresh tokens kept: what a resource server's
   * 401 to a token that has not expired looks like (revoked, rotated keys).
   */
  revokeAccessTokens(): void {
    this.issuedTokens().clear();
  }

  /** Forgets every refresh token (what a revocation looks like to the client). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  async isValid(token: string): Promise<boolean> {
    try {
      await this.verifyAccessToken(token);
      return true;
    } catch {
      return false;
    }
  }

  /** The demo provider keeps its token map private; tokens are what this subclass extends. */
  private issuedTokens(): Map<string, unknown> {
    return (this as unknown as { tokens: Map<string, unknown> }).tokens;
  }

  private withRefresh(client: OAuthClientInformationFull, tokens: OAuthTokens): OAuthTokens {
    const stored = this.issuedTokens().get(tokens.access_token) as { expiresAt: number } | undefined;
    if (stored) stored.expiresAt = Date.now() + this.accessTokenSeconds * 1000;
    if (!this.issueRefreshTokens) return { ...tokens, expires_in: this.accessTokenSeconds };
    const refresh = randomUUID();
    this.refreshTokens.set(refresh, { clientId: client.client_id, scopes: [] });
    return { ...tokens, expires_in: this.accessTokenSeconds, refresh_token: refresh };
  }
}

export async function startOAuthServer(): Promise<OAuthServer> {
  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new RotatingProvider();
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(origin), scopesSupported: ["items:read"] }));
  return { origin, provider, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
