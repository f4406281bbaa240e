/**
 * A client-credentials token endpoint for the tests (RFC 6749 §4.4), on 127.0.0.1: it checks
 * the client's Basic credentials, issues a new access token on every request, and can revoke
 * every token issued so far, so an API that asks it (`isValid`) refuses them with 401.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const ISSUER_CLIENT = { id: "issuer-client", secret: "issuer-secret-0123456789" } as const;

export interface TokenIssuer {
  tokenUrl: string;
  /** Tokens issued so far, in order. */
  issued: string[];
  isValid(token: string): boolean;
  /** Every token issued so far is refused from now on. */
  revokeAll(): void;
  close(): Promise<void>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const issued: string[] = [];
  const valid = new Set<string>();
  const expected = `Basic ${Buffer.from(`${ISSUER_CLIENT.id}:${ISSUER_CLIENT.secret}`).toString("base64")}`;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    res.setHeader("content-type", "application/json");
    if (req.headers.authorization !== expected || form.get("grant_type") !== "client_credentials") {
      res.writeHead(401);
      return res.end(JSON.stringify({ error: "invalid_client" }));
    }
    const token = `cc-${issued.length + 1}-${randomUUID()}`;
    issued.push(token);
    valid.add(token);
    res.end(JSON.stringify({ access_token: token, token_type: "bearer", expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    tokenUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    issued,
    isValid: (token) => valid.has(token),
    revokeAll: () => valid.clear(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
