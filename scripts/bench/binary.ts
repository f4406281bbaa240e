/**
 * How large a binary answer a program can receive, and return, against the built Worker in
 * workerd (Miniflare): a local API serves random bytes as application/octet-stream; a program
 * downloads them (base64 inside the sandbox) and either keeps only the size or returns the
 * whole answer (bounded by the result limit). Also the largest upload the argument cap allows.
 * Docs: docs/agents.md, "Call options".
 *
 *   npm run build && npx tsx scripts/bench/binary.ts
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startWorker } from "../../test/harness/worker";

const MiB = 1024 * 1024;
const sizes = [0.5, 1, 2, 2.9, 3.1, 5, 8, 9.9];
const api = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/openapi.json") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(
      JSON.stringify({
        openapi: "3.0.3",
        info: { title: "Blobs", version: "1" },
        servers: [{ url: "/" }],
        paths: {
          "/blob": { get: { operationId: "get", parameters: [{ name: "mb", in: "query", schema: { type: "number" } }], responses: { "200": { description: "bytes" } } } },
          "/sink": { put: { operationId: "put", requestBody: { content: { "application/octet-stream": {} } }, responses: { "200": { description: "ok" } } } },
        },
      }),
    );
  }
  if (url.pathname === "/sink") {
    let size = 0;
    req.on("data", (chunk: Buffer) => (size += chunk.length));
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ size })));
    return;
  }
  res.writeHead(200, { "content-type": "application/octet-stream" });
  res.end(randomBytes(Math.round(Number(url.searchParams.get("mb")) * MiB)));
});
await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

const worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
const base = await worker.mf.ready;
const headers = { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com"), "content-type": "application/json" };
const post = async (path: string, body: unknown) => (await fetch(new URL(path, base), { method: "POST", headers, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
await post("/api/integrations", { kind: "openapi", url: `${origin}/openapi.json`, slug: "blobs" });
await post("/api/policies", { pattern: "blobs.*", action: "allow" });

const outcome = (view: Record<string, unknown>, started: number) =>
  view.status === "completed" ? `ok, ${((performance.now() - started) / 1000).toFixed(2)} s` : `${(view.error as { code: string } | undefined)?.code ?? view.status}`;
console.log("\n| download | kept in the program (size only) | returned as the result |\n|---|---|---|");
for (const mb of sizes) {
  let started = performance.now();
  const kept = outcome(await post("/api/executions", { code: `return (await tools.blobs.get({ mb: ${mb} })).size` }), started);
  started = performance.now();
  const returned = outcome(await post("/api/executions", { code: `return await tools.blobs.get({ mb: ${mb} })` }), started);
  console.log(`| ${mb} MiB | ${kept} | ${returned} |`);
}

// A program's own text is capped (256 Ki characters), so larger uploads pass on downloaded bytes.
console.log("\n| upload (download, then octet-stream upload of the same bytes) | outcome |\n|---|---|");
for (const kb of [700, 760, 790]) {
  const view = await post("/api/executions", {
    code: `const file = await tools.blobs.get({ mb: ${kb / 1024} }); try { return (await tools.blobs.put({ body: file })).size } catch (e) { return e.code }`,
  });
  console.log(`| ${kb} KiB | ${typeof view.result === "number" ? `ok (${view.result} bytes)` : String(view.result ?? (view.error as { code: string } | undefined)?.code)} |`);
}
await worker.close();
api.close();
