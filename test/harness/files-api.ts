/**
 * A real HTTP API for the tests, on 127.0.0.1, that answers with more than JSON: a list paged
 * by `Link` headers (with rate-limit and ETag headers, a cookie, and headers that echo the
 * credential), files served as bytes (PNG, PDF, zip, latin-1 text), and uploads parsed with
 * a real multipart parser (undici's `Request.formData()`, which Node's fetch uses). Its
 * OpenAPI document is served at `/openapi.json`.
 *
 * It accepts the API key FILES_KEY in `X-API-Key`, or a bearer token `acceptsToken` accepts
 * (an OAuth token from the test's token endpoint).
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FILES_KEY = "files-key-0123456789abcdef";

/** The bytes served at `/files/{name}`: each is every byte value, after a real signature. */
export const FILES: Record<string, { type: string; bytes: Buffer }> = {
  "pixel.png": { type: "image/png", bytes: Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), allByteValues()]) },
  "report.pdf": { type: "application/pdf", bytes: Buffer.concat([Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"), allByteValues()]) },
  "archive.zip": { type: "application/zip", bytes: Buffer.concat([Buffer.from("504b0304", "hex"), allByteValues()]) },
  // Text, but not UTF-8: decoding it as UTF-8 would mangle the é.
  "latin1.txt": { type: "text/plain; charset=iso-8859-1", bytes: Buffer.from("café au lait", "latin1") },
  // Text without a type: read as text, as before.
  "untyped.txt": { type: "", bytes: Buffer.from("plain words") },
};

/** The list at `/pages`: PAGE_SIZE names per page. */
export const ALL_NAMES = Array.from({ length: 7 }, (_, index) => `name-${index + 1}`);
export const PAGE_SIZE = 3;

/** What an upload endpoint saw, as it answers it. */
export interface ReceivedUpload {
  contentType: string;
  fields: Record<string, string[]>;
  files: { field: string; filename: string; type: string; size: number; sha256: string }[];
}

export interface FilesApi {
  origin: string;
  /** Every request, in order: method, path and the credential it carried. */
  requests: { method: string; path: string; authorization: string | null }[];
  close(): Promise<void>;
}

export interface FilesApiOptions {
  /** Accepts a bearer token (an OAuth access token); without it only FILES_KEY is accepted. */
  acceptsToken?(token: string): boolean;
  /** The client-credentials token endpoint the spec declares. */
  tokenUrl?: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function filesSpec(options: FilesApiOptions = {}): Record<string, unknown> {
  const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
  const binary = (type: string) => ({ content: { [type]: { schema: { type: "string", format: "binary" } } } });
  return {
    openapi: "3.0.3",
    info: { title: "Files API", version: "1.0.0" },
    servers: [{ url: "/" }],
    security: [{ key: [] }, ...(options.tokenUrl ? [{ oauth: [] }] : [])],
    components: {
      securitySchemes: {
        key: { type: "apiKey", in: "header", name: "X-API-Key" },
        ...(options.tokenUrl ? { oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: options.tokenUrl, scopes: {} } } } } : {}),
      },
    },
    paths: {
      "/pages": {
        get: {
          tags: ["names"],
          operationId: "list",
          parameters: [{ name: "page", in: "query", schema: { type: "integer", minimum: 1 } }],
          responses: { "200": { description: "a page", ...json({ type: "array", items: { type: "string" } }) } },
        },
        post: {
          tags: ["names"],
          operationId: "add",
          requestBody: { required: true, ...json({ type: "object", properties: { name: { type: "string" } } }) },
          responses: { "201": { description: "added" } },
        },
      },
      "/files/{name}": {
        get: {
          tags: ["files"],
          operationId: "download",
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "the file", ...binary("application/octet-stream") } },
        },
        put: {
          tags: ["files"],
          operationId: "put",
          parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, ...binary("application/octet-stream") },
          responses: { "200": { description: "stored", ...json({ type: "object" }) } },
        },
      },
      "/uploads": {
        post: {
          tags: ["files"],
          operationId: "upload",
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["file"],
                  properties: {
                    file: { type: "string", format: "binary", description: "The file" },
                    attachments: { type: "array", items: { type: "string", format: "binary" } },
                    title: { type: "string" },
                    count: { type: "integer" },
                    meta: { type: "object", properties: { tags: { type: "array", items: { type: "string" } } } },
                  },
                },
              },
            },
          },
          responses: { "200": { description: "what arrived", ...json({ type: "object" }) } },
        },
      },
    },
  };
}

export async function startFilesApi(options: FilesApiOptions = {}): Promise<FilesApi> {
  const requests: FilesApi["requests"] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, value: unknown, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === "/openapi.json") return send(200, filesSpec(options));
    const authorization = req.headers.authorization ?? null;
    requests.push({ method: req.method!, path: url.pathname, authorization });
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    const key = req.headers["x-api-key"];
    if (key !== FILES_KEY && !(bearer && options.acceptsToken?.(bearer))) return send(401, { message: "bad credentials" }, { "www-authenticate": 'Bearer error="invalid_token"' });
    const credential = typeof key === "string" ? key : (bearer ?? "");

    if (url.pathname === "/pages" && req.method === "GET") {
      const page = Number(url.searchParams.get("page") ?? "1");
      const names = ALL_NAMES.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      const last = Math.ceil(ALL_NAMES.length / PAGE_SIZE);
      const base = `http://${req.headers.host}`;
      const link = [`<${base}/pages?page=${last}>; rel="last"`];
      if (page < last) link.unshift(`<${base}/pages?page=${page + 1}>; rel="next"`);
      return send(200, names, {
        link: link.join(", "),
        etag: `"page-${page}"`,
        "x-ratelimit-remaining": String(100 - requests.length),
        "set-cookie": ["session=upstream-session-cookie; HttpOnly", "other=1"],
        // Hostile or careless upstreams echo the credential: as its own header and inside another.
        "x-api-key": credential,
        "x-debug": `key=${credential}`,
      });
    }
    if (url.pathname === "/pages" && req.method === "POST") return send(201, { added: JSON.parse(body.toString("utf8")) });
    const file = /^\/files\/([^/]+)$/.exec(url.pathname);
    if (file && req.method === "GET") {
      const served = FILES[decodeURIComponent(file[1])];
      if (!served) return send(404, { message: "no such file" });
      res.writeHead(200, served.type ? { "content-type": served.type } : {});
      return res.end(served.bytes);
    }
    if (file && req.method === "PUT") {
      return send(200, { name: decodeURIComponent(file[1]), contentType: req.headers["content-type"] ?? null, size: body.length, sha256: sha256(body) });
    }
    if (url.pathname === "/uploads" && req.method === "POST") {
      // A real multipart parser: the body must be well-formed for this to work at all.
      const form = await new Request("http://127.0.0.1/uploads", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body }).formData();
      const received: ReceivedUpload = { contentType: req.headers["content-type"] ?? "", fields: {}, files: [] };
      for (const [field, value] of form) {
        if (typeof value === "string") (received.fields[field] ??= []).push(value);
        else received.files.push({ field, filename: value.name, type: value.type, size: value.size, sha256: sha256(new Uint8Array(await value.arrayBuffer())) });
      }
      return send(200, received);
    }
    send(404, { message: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function allByteValues(): Buffer {
  return Buffer.from(Array.from({ length: 512 }, (_, index) => index % 256));
}
