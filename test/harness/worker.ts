/**
 * Runs the built Worker (dist/index.js) in Miniflare with a real D1 and the real migrations.
 * Outbound fetches go to `outbound`: the Access certs endpoint is answered by the test
 * issuer, 127.0.0.1 passes through to servers the test started, public URLs the test chose
 * (`upstreams`) are answered by its handlers (the exchange at the network boundary, real on
 * the Worker's side: its guarded client sends it, the test answers it, e.g. from a fixture), and
 * anything else is answered 599 and fails the test that made it (an afterEach hook of every
 * file that starts a Worker), so no test silently talks to the internet.
 */
import { afterEach } from "vitest";
import { Miniflare, Response as MfResponse, type Request as MfRequest, type RequestInit as MfRequestInit } from "miniflare";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { resolve } from "node:path";
import type { D1Database } from "@cloudflare/workers-types";
import { AccessIssuer, AUD, CERTS_URL, TEAM_DOMAIN } from "./access-issuer";
import { applyMigrations } from "./migrations";

const ROOT = resolve(import.meta.dirname, "../..");
export const WORKER_ORIGIN = "https://executor.test";

/** Workers started in this test file, checked after each test. */
const running = new Set<{ unexpectedOutbound: string[]; allowUnexpectedOutbound: boolean }>();

// Only under vitest: the benchmarks (scripts/bench) start Workers with this harness too, and
// outside a test run `afterEach` throws.
if (process.env.VITEST) {
  afterEach(() => {
    const seen = [...running].filter((worker) => !worker.allowUnexpectedOutbound).flatMap((worker) => worker.unexpectedOutbound.splice(0));
    if (seen.length > 0) throw new Error(`The Worker made outbound requests no test server answers:\n${seen.join("\n")}`);
  });
}
export const TEST_SECRET_KEY = "test-secret-key-0123456789abcdef-0123456789";

export interface StartOptions {
  /** Vars and secrets; defaults give a fully configured Worker. `undefined` removes one. */
  bindings?: Record<string, string | undefined>;
  /** Reuse an Access issuer (e.g. across two Miniflare instances). */
  issuer?: AccessIssuer;
  /** Persist D1 in this folder, so a second instance can share the database. */
  d1Persist?: string;
  /** Skip applying migrations. */
  migrate?: boolean;
  /** The test itself asserts on unexpected outbound requests (they do not fail it). */
  allowUnexpectedOutbound?: boolean;
  /** Opens workerd's inspector (Chrome DevTools Protocol) on this port: heap, D1 and fetch events. */
  inspectorPort?: number;
  /**
   * Public URLs the test answers: each key is a URL prefix (`https://gmail.googleapis.com/`
   * answers every request to that origin; a full URL answers that URL and its query
   * variants), the longest matching key wins. The handler gets the request as sent.
   */
  upstreams?: Record<string, UpstreamHandler>;
  /**
   * Let workerd fetch directly (benchmarks): the Access keys are served by a local HTTP
   * server instead of the outbound hook, so no request detours through Node.
   */
  directNetwork?: boolean;
}

/** Answers one outbound request to a public URL the test chose (see `StartOptions.upstreams`). */
export type UpstreamHandler = (request: Request) => Response | Promise<Response>;

export interface TestWorker {
  mf: Miniflare;
  issuer: AccessIssuer;
  db: D1Database;
  /** Outbound requests the Worker made that no rule answered. */
  unexpectedOutbound: string[];
  /** Everything the Worker wrote to its log (console.*), for asserting what never appears there. */
  logs: string[];
  /** Sends a request to the Worker; `path` may be a full URL. */
  fetch(path: string, init?: MfRequestInit): Promise<Response>;
  /** Like fetch, with a fresh assertion for `email` (or any token given). */
  asUser(email: string, path: string, init?: MfRequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * wrangler.jsonc `assets` as wrangler dev hands it to Miniflare: the Worker first for every
 * request (run_worker_first: true), the files read through the ASSETS binding after the gate.
 * test/browser/console.test.ts checks it still equals what wrangler derives from the file.
 */
export const CONSOLE_ASSETS = {
  directory: resolve(ROOT, "worker/console/public"),
  binding: "ASSETS",
  routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true },
};

export const DEFAULT_BINDINGS: Record<string, string> = {
  ACCESS_TEAM_DOMAIN: TEAM_DOMAIN,
  ACCESS_AUD: AUD,
  ADMIN_EMAILS: "admin@example.com",
  ORG_NAME: "Acme Corp",
  EXECUTOR_SECRET_KEY: TEST_SECRET_KEY,
  ALLOW_LOCAL_NETWORK: "false",
};

/** Starts the Worker; the caller closes it. */
export async function startWorker(options: StartOptions = {}): Promise<TestWorker> {
  const issuer = options.issuer ?? new AccessIssuer();
  if (issuer.keys.size === 0) await issuer.addKey("key-1");
  const bindings = Object.fromEntries(
    Object.entries({ ...DEFAULT_BINDINGS, ...options.bindings }).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  const unexpectedOutbound: string[] = [];
  const logs: string[] = [];
  let certsServer: Server | undefined;
  if (options.directNetwork) {
    certsServer = createServer((_req, res) => {
      const response = issuer.serveCerts();
      res.writeHead(response.status, { "content-type": "application/json" });
      void response.text().then((text) => res.end(text));
    });
    await new Promise<void>((resolve) => certsServer!.listen(0, "127.0.0.1", resolve));
    bindings.ACCESS_TEAM_DOMAIN = `http://127.0.0.1:${(certsServer.address() as AddressInfo).port}`;
    issuer.issuerUrl = bindings.ACCESS_TEAM_DOMAIN;
  }

  const mf = new Miniflare({
    modules: true,
    scriptPath: resolve(ROOT, "dist/index.js"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      // wrangler names a bundled wasm import `<hash>-wasm` when its specifier has no extension.
      { type: "CompiledWasm", include: ["**/*.wasm", "**/*-wasm"] },
    ],
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["nodejs_compat"],
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    d1Databases: { DB: "executor" },
    assets: CONSOLE_ASSETS,
    d1Persist: options.d1Persist ?? false,
    bindings,
    // Structured logs carry the Worker's console output; keep it for assertions, print nothing.
    handleStructuredLogs: ({ message }: { message: string }) => {
      logs.push(message);
    },
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.on("data", (chunk) => logs.push(String(chunk)));
      stderr.on("data", (chunk) => logs.push(String(chunk)));
    },
    outboundService: options.directNetwork ? { network: { allow: ["public", "private", "local"] } } : async (request: MfRequest) => {
      const url = new URL(request.url);
      if (url.href === CERTS_URL) return toMiniflare(issuer.serveCerts());
      // Servers the test started; redirects are the Worker's to follow (its guard re-checks each hop).
      if (url.hostname === "127.0.0.1") {
        const hasBody = request.method !== "GET" && request.method !== "HEAD";
        const response = await fetch(url, {
          method: request.method,
          headers: [...request.headers],
          body: hasBody ? await request.arrayBuffer() : undefined,
          redirect: "manual",
        });
        return toMiniflare(response);
      }
      const upstream = Object.keys(options.upstreams ?? {})
        .filter((prefix) => url.href.startsWith(prefix))
        .sort((a, b) => b.length - a.length)[0];
      if (upstream !== undefined) {
        const hasBody = request.method !== "GET" && request.method !== "HEAD";
        const sent = new Request(url, { method: request.method, headers: [...request.headers], body: hasBody ? await request.arrayBuffer() : undefined });
        return toMiniflare(await options.upstreams![upstream]!(sent));
      }
      unexpectedOutbound.push(`${request.method} ${url.href}`);
      return new MfResponse("unexpected outbound request in test", { status: 599 });
    },
  });
  const db = (await mf.getD1Database("DB")) as unknown as D1Database;
  if (options.migrate !== false) await applyMigrations(db);

  const send = (path: string, init?: MfRequestInit) =>
    mf.dispatchFetch(path.startsWith("http") ? path : `${WORKER_ORIGIN}${path}`, init) as unknown as Promise<Response>;
  const watched = { unexpectedOutbound, allowUnexpectedOutbound: options.allowUnexpectedOutbound === true };
  running.add(watched);

  return {
    mf,
    issuer,
    db,
    unexpectedOutbound,
    logs,
    fetch: send,
    async asUser(email, path, init = {}) {
      const token = await issuer.user(email);
      const headers = { ...(init.headers as Record<string, string> | undefined), "cf-access-jwt-assertion": token };
      return send(path, { ...init, headers });
    },
    close: async () => {
      running.delete(watched);
      await mf.dispose();
      certsServer?.close();
    },
  };
}

async function toMiniflare(response: Response): Promise<MfResponse> {
  const nullBody = response.status === 204 || response.status === 304;
  return new MfResponse(nullBody ? null : await response.arrayBuffer(), { status: response.status, headers: [...response.headers] });
}
