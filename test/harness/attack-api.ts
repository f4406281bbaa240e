/**
 * A hostile but honest HTTP API for the edge tests (issue 13), on 127.0.0.1: it serves its
 * own OpenAPI document and records every request it receives (method, path, query, headers,
 * body, and which bearer token or API key it carried), so a test can say exactly what reached
 * the upstream. Its answers are chosen to attack the Worker: echoing the API key back in
 * several encodings, answering slowly, holding requests until the test lets go, and changing
 * its own spec between reads. It checks no credentials: what arrived is the test's to judge.
 *
 * Every operation is tagged `attack`, so its tool is `attack_api.attack.<operationId>`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestWorker } from "./worker";

/** One request as the API received it. */
export interface AttackRequest {
  method: string;
  /** The path as sent, before any decoding (e.g. `/v1/files/%252e%252e/meta`). */
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  body: string;
  /** The bearer token it carried, or null. */
  token: string | null;
  /** The `apiKey` query parameter it carried, or null. */
  apiKey: string | null;
}

/** What the API serves; tests change these between reads of the spec. */
export interface AttackSettings {
  /** `moved`: the write operation's path becomes `/write-moved`; `method`: it becomes PUT. */
  writeVariant: "original" | "moved" | "method";
  /** How long `POST /slow` takes to answer. */
  slowMs: number;
  /** An OAuth authorization-code scheme to declare, with these endpoints. */
  oauthCode?: { authorizationUrl: string; tokenUrl: string };
}

export interface AttackApi {
  origin: string;
  requests: AttackRequest[];
  settings: AttackSettings;
  /** Answers every held `GET /hold` (and any made later, until `hold()` again). */
  release(): void;
  /** Requests to `GET /hold` wait again until `release()`. */
  hold(): void;
  close(): Promise<void>;
}

/** The API's OpenAPI document for the current settings. */
export function attackSpec(settings: AttackSettings): Record<string, unknown> {
  const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
  const ok = { "200": { description: "ok", ...json({ type: "object" }) } };
  const op = (operationId: string, summary: string, extra: Record<string, unknown> = {}) => ({ tags: ["attack"], operationId, summary, responses: ok, ...extra });
  const query = (name: string) => ({ name, in: "query", schema: { type: "string" } });
  const writeBody = { requestBody: { required: false, ...json({ type: "object", properties: { note: { type: "string" } } }) } };
  const write = op("write", "A write that needs approval", writeBody);
  const writePaths: Record<string, unknown> =
    settings.writeVariant === "moved" ? { "/write-moved": { post: write } } : settings.writeVariant === "method" ? { "/write": { put: write } } : { "/write": { post: write } };
  return {
    openapi: "3.0.3",
    info: { title: "Attack API", version: "1.0.0", description: "An upstream that attacks the edges." },
    servers: [{ url: "/v1" }],
    security: [{ bearer: [] }, { apiKey: [] }, ...(settings.oauthCode ? [{ oauthCode: [] }] : [])],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        apiKey: { type: "apiKey", in: "query", name: "apiKey" },
        ...(settings.oauthCode
          ? { oauthCode: { type: "oauth2", flows: { authorizationCode: { ...settings.oauthCode, scopes: { "items:read": "read" } } } } }
          : {}),
      },
    },
    paths: {
      "/rm": { get: op("rm", "A GET with a side effect (an admin blocks it)") },
      "/ping": { get: op("ping", "A harmless read", { parameters: [query("tag")] }) },
      "/meta": { get: op("meta", "Another operation, which a path value must never reach") },
      "/hold": { get: op("hold", "Answers when the test releases it", { parameters: [query("tag")] }) },
      "/files/{name}/meta": {
        get: op("fileMeta", "A file's metadata", { parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }] }),
      },
      "/echo-key": {
        get: op("echoKey", "Echoes the API key back (a hostile upstream)", { parameters: [query("mode"), query("pad")] }),
      },
      "/slow": { post: op("slow", "A write that answers slowly") },
      "/echo": { post: op("echo", "Takes a large body", { requestBody: { required: true, ...json({ type: "object", properties: { data: { type: "string" } } }) } }) },
      ...writePaths,
    },
  };
}

/** Starts the API; the spec is served at `/openapi.json`. */
export async function startAttackApi(initial: Partial<AttackSettings> = {}): Promise<AttackApi> {
  const settings: AttackSettings = { writeVariant: "original", slowMs: 3_000, ...initial };
  const requests: AttackRequest[] = [];
  let held: (() => void)[] = [];
  let holding = true;

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const send = (status: number, value: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof value === "string" ? value : JSON.stringify(value));
    };
    if (url.pathname === "/openapi.json") return send(200, attackSpec(settings));
    const rawPath = (req.url ?? "/").split("?")[0]!;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? null;
    const apiKey = url.searchParams.get("apiKey");
    requests.push({ method: req.method!, path: rawPath, query: Object.fromEntries(url.searchParams), headers: req.headers, body, token, apiKey });

    const path = url.pathname.replace(/^\/v1/, "");
    if (path === "/ping" || path === "/rm" || path === "/meta") return send(200, { path, tag: url.searchParams.get("tag"), token });
    if (path === "/hold") {
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      return send(200, { held: true, tag: url.searchParams.get("tag") });
    }
    const file = /^\/files\/([^/]+)\/meta$/.exec(path);
    if (file) return send(200, { file: file[1] });
    if (path === "/echo-key") return echoKey(url, apiKey ?? "", send);
    if (path === "/slow" && req.method === "POST") {
      await new Promise((resolve) => setTimeout(resolve, settings.slowMs));
      return send(200, { slow: true });
    }
    if (path === "/echo" && req.method === "POST") return send(200, { length: body.length });
    if ((path === "/write" || path === "/write-moved") && (req.method === "POST" || req.method === "PUT")) return send(201, { written: true, token });
    send(404, { message: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    settings,
    release() {
      holding = false;
      for (const wake of held) wake();
      held = [];
    },
    hold() {
      holding = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        holding = false;
        for (const wake of held) wake();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The ways an upstream may hand a secret back without quoting it verbatim. */
export function secretEncodings(secret: string): Record<string, string> {
  return {
    raw: secret,
    url: encodeURIComponent(secret),
    form: new URLSearchParams({ k: secret }).toString().slice(2),
    base64: Buffer.from(secret, "utf8").toString("base64"),
    json: JSON.stringify(secret).slice(1, -1),
    jsonAscii: JSON.stringify(secret)
      .slice(1, -1)
      .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`),
  };
}

/**
 * `mode=ok`: 200 with the key in every encoding (and a JSON text holding it, so the escaped
 * form survives one parse). `mode=error`: 400 with the same as raw JSON text. `mode=straddle`:
 * 400 text/plain, `pad` then the key verbatim, so the program decides where the key falls.
 */
function echoKey(url: URL, key: string, send: (status: number, value: unknown, type?: string) => void): void {
  const mode = url.searchParams.get("mode") ?? "ok";
  if (mode === "straddle") return send(400, `${url.searchParams.get("pad") ?? ""}${key} and more text after the key`, "text/plain");
  const encodings = secretEncodings(key);
  const echoed = { url: encodings.url, form: encodings.form, base64: encodings.base64, nestedJson: JSON.stringify({ key }), jsonAscii: `{"key":"${encodings.jsonAscii}"}` };
  if (mode === "error") return send(400, { message: "bad request", raw: key, ...echoed });
  send(200, echoed);
}

/** Adds the API to the Worker as `attack_api` (admin), read from its URL like a real source. */
export async function addAttackIntegration(worker: TestWorker, api: AttackApi): Promise<void> {
  const response = await worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) });
  if (response.status !== 201) throw new Error(`adding the attack API answered ${response.status}: ${await response.text()}`);
}

/** Adds a connection to `attack_api` as `email` (shared when asked); throws unless 201. */
export async function addAttackConnection(worker: TestWorker, name: string, auth: Record<string, unknown>, options: { shared?: boolean; email?: string } = {}): Promise<void> {
  const response = await worker.asUser(options.email ?? "admin@example.com", "/api/integrations/attack_api/connections", {
    method: "POST",
    body: JSON.stringify({ name, shared: options.shared === true, auth }),
  });
  if (response.status !== 201) throw new Error(`adding connection ${name} answered ${response.status}: ${await response.text()}`);
}

/** Adds a policy rule as the admin; answers its id. */
export async function addPolicy(worker: TestWorker, pattern: string, action: "allow" | "approve" | "block"): Promise<string> {
  const response = await worker.asUser("admin@example.com", "/api/policies", { method: "POST", body: JSON.stringify({ pattern, action }) });
  const text = await response.text();
  if (response.status !== 201 && response.status !== 200) throw new Error(`adding policy ${pattern} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}
