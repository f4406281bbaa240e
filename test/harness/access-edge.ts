/**
 * A stand-in for Cloudflare Access's edge: a real HTTP server on 127.0.0.1 in front of the
 * test Worker, so an HTTP client (the `executor` CLI) meets what it meets in production.
 *   - `CF-Access-Client-Id` / `CF-Access-Client-Secret` of a known service token: forwarded
 *     with an assertion minted for it (`issuer.service(commonName)`), as Access swaps them;
 *   - a `cf-access-token` header holding a valid application token (what `cloudflared access
 *     token` prints): forwarded with that token as the assertion;
 *   - anything else: refused the way Access refuses, a 302 to its login page (an HTML page)
 *     or, with `refusal: "forbidden"`, a 403 HTML page.
 * An assertion the client sent itself is dropped, as Access does. The Worker still verifies
 * every assertion through its production code; this edge only decides what reaches it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, jwtVerify } from "jose";
import { AUD } from "./access-issuer";
import type { TestWorker } from "./worker";

/** A service token Access knows: its client id and secret, and the common name it asserts. */
export interface ServiceToken {
  clientId: string;
  clientSecret: string;
  /** Access puts the client id here; tests may choose another to tell tokens apart. */
  commonName: string;
}

export interface AccessEdgeOptions {
  serviceTokens?: ServiceToken[];
  /** How a request without acceptable credentials is refused (default: redirect to login). */
  refusal?: "redirect" | "forbidden";
}

/** One request as the edge saw it, and what it did. */
export interface EdgeRequest {
  method: string;
  path: string;
  /** Which credential let it through, or why it was refused. */
  outcome: "service-token" | "access-token" | "refused";
  headers: IncomingMessage["headers"];
}

export interface AccessEdge {
  /** Where clients connect: `http://127.0.0.1:<port>`. */
  origin: string;
  requests: EdgeRequest[];
  close(): Promise<void>;
}

const LOGIN_PATH = "/cdn-cgi/access/login";
/** Headers that describe one hop, or that Access owns: never passed on from the client. */
const DROPPED_REQUEST_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "cf-access-client-id", "cf-access-client-secret", "cf-access-token", "cf-access-jwt-assertion"]);
const DROPPED_RESPONSE_HEADERS = new Set(["content-length", "transfer-encoding", "content-encoding", "connection"]);

/** Starts the edge in front of `worker`; the caller closes it. */
export async function startAccessEdge(worker: TestWorker, options: AccessEdgeOptions = {}): Promise<AccessEdge> {
  const requests: EdgeRequest[] = [];
  const keys = () => createLocalJWKSet(worker.issuer.jwks());
  let origin = "";

  async function assertionFor(request: IncomingMessage): Promise<{ assertion: string; outcome: EdgeRequest["outcome"] } | null> {
    const clientId = request.headers["cf-access-client-id"];
    const clientSecret = request.headers["cf-access-client-secret"];
    if (clientId !== undefined || clientSecret !== undefined) {
      const token = options.serviceTokens?.find((candidate) => candidate.clientId === clientId && candidate.clientSecret === clientSecret);
      return token ? { assertion: await worker.issuer.service(token.commonName), outcome: "service-token" } : null;
    }
    const appToken = request.headers["cf-access-token"];
    if (typeof appToken === "string") {
      try {
        await jwtVerify(appToken, keys(), { issuer: worker.issuer.issuerUrl, audience: AUD, algorithms: ["RS256"] });
        return { assertion: appToken, outcome: "access-token" };
      } catch {
        return null;
      }
    }
    return null;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? "/";
    if (path.startsWith(LOGIN_PATH)) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>Sign in ・ Cloudflare Access</title><h1>Sign in</h1>");
      return;
    }
    const granted = await assertionFor(request);
    requests.push({ method: request.method ?? "GET", path, outcome: granted?.outcome ?? "refused", headers: request.headers });
    if (!granted) {
      if (options.refusal === "forbidden") {
        response.writeHead(403, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>Forbidden</title><h1>Forbidden</h1><p>Cloudflare Access denied this request.</p>");
      } else {
        response.writeHead(302, { location: `${origin}${LOGIN_PATH}?redirect_url=${encodeURIComponent(path)}`, "content-type": "text/html; charset=utf-8" }).end();
      }
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    headers["cf-access-jwt-assertion"] = granted.assertion;
    const method = request.method ?? "GET";
    const answer = await worker.fetch(`${origin}${path}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
      redirect: "manual",
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const responseHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = value;
    });
    response.writeHead(answer.status, responseHeaders).end(body);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(502, { "content-type": "text/plain" }).end(`access edge stand-in failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
