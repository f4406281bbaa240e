/**
 * What real APIs need beyond JSON in, JSON out, against a real API on 127.0.0.1
 * (test/harness/files-api.ts): `response: "full"` for status and headers (a program follows
 * `Link` pagination with it), binary answers as base64 that round-trip exactly, multipart
 * and octet-stream uploads from base64 arguments, parsed by a real multipart parser.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, execute, resume } from "../harness/executions";
import { ALL_NAMES, FILES, FILES_KEY, sha256, startFilesApi, type FilesApi, type ReceivedUpload } from "../harness/files-api";
import { GRAPHQL_TOKEN, startGraphqlApi, type GraphqlApi } from "../harness/graphql-api";
import { waitForHistory } from "../harness/history";
import { startWorker, type TestWorker } from "../harness/worker";

/** A binary answer as the program gets it. */
interface BinaryAnswer {
  contentType: string;
  size: number;
  base64: string;
}

describe("responses and uploads against a real API", () => {
  let api: FilesApi;
  let graphqlApi: GraphqlApi;
  let worker: TestWorker;
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const post = async (path: string, body: unknown) => {
    const response = await admin(path, { method: "POST", body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return response;
  };

  beforeAll(async () => {
    api = await startFilesApi();
    graphqlApi = await startGraphqlApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await post("/api/integrations", { kind: "openapi", url: `${api.origin}/openapi.json`, slug: "files" });
    await post("/api/integrations/files/connections", { name: "default", shared: true, auth: { type: "apiKey", key: FILES_KEY } });
    // Uploads are writes (they wait for a human by default); these tests are about the bytes.
    await post("/api/policies", { pattern: "files.files.*", action: "allow" });
    await post("/api/integrations", { kind: "graphql", url: graphqlApi.url, slug: "store", auth: { type: "bearer", token: GRAPHQL_TOKEN } });
  });
  afterAll(async () => {
    await worker.close();
    await graphqlApi.close();
    await api.close();
  });

  describe('response: "full"', () => {
    it("a program follows Link pagination to the last page", async () => {
      const run = await execute(
        worker,
        `const names = [];
         const pages = [];
         let page = 1;
         for (;;) {
           const answer = await tools.files.names.list({ page }, { response: "full" });
           names.push(...answer.data);
           pages.push({ status: answer.status, etag: answer.headers.etag });
           const next = /<[^>]*[?&]page=(\\d+)>;\\s*rel="next"/.exec(answer.headers.link ?? "");
           if (!next) break;
           page = Number(next[1]);
         }
         return { names, pages }`,
      );
      expect(run.error).toBeUndefined();
      expect(run.result).toEqual({
        names: ALL_NAMES,
        pages: [
          { status: 200, etag: '"page-1"' },
          { status: 200, etag: '"page-2"' },
          { status: 200, etag: '"page-3"' },
        ],
      });
      expect(api.requests.filter((request) => request.path === "/pages").length).toBeGreaterThanOrEqual(3);
    });

    it("shows the headers a program may read: cookies, auth challenges and the credential's own header are left out, echoed secrets redacted", async () => {
      const run = await execute(worker, `return await tools.files.names.list({}, { response: "full" })`);
      const answer = run.result as { data: string[]; status: number; headers: Record<string, string> };
      expect(answer.data).toEqual(ALL_NAMES.slice(0, 3));
      expect(answer.headers).toMatchObject({ "content-type": "application/json", etag: '"page-1"', "x-debug": "key=[redacted]" });
      expect(answer.headers["x-ratelimit-remaining"]).toMatch(/^\d+$/);
      expect(answer.headers.link).toContain('rel="next"');
      expect(Object.keys(answer.headers)).not.toContain("set-cookie");
      expect(Object.keys(answer.headers)).not.toContain("x-api-key");
      expect(JSON.stringify(run)).not.toContain(FILES_KEY);
      expect(JSON.stringify(run)).not.toContain("upstream-session-cookie");
    });

    it("keeps the default answer as it was, and the history records the option", async () => {
      const run = await execute(worker, `return [await tools.files.names.list({}), await tools.files.names.list({}, { response: "data" })]`);
      expect(run.result).toEqual([ALL_NAMES.slice(0, 3), ALL_NAMES.slice(0, 3)]);
      const full = await execute(worker, `return (await tools.files.names.list({}, { response: "full" })).status`);
      const record = await waitForHistory(worker, full.executionId, (found) => found.status === "completed");
      expect(record?.calls[0]).toMatchObject({ tool: "files.names.list", options: { response: "full" } });
      const plain = await waitForHistory(worker, run.executionId, (found) => found.status === "completed");
      expect(plain?.calls[0]).not.toHaveProperty("options");
      expect(plain?.calls[1]).toMatchObject({ options: { response: "data" } });
    });

    it("a write held for approval keeps its option through the pause: the resumed run answers the full response", async () => {
      const paused = await execute(worker, `const added = await tools.files.names.add({ body: { name: "n" } }, { response: "full" }); return { status: added.status, data: added.data, type: added.headers["content-type"] }`);
      expect(paused.status).toBe("paused");
      expect((await decide(worker, paused.executionId, paused.approval!.callId, "approve")).status).toBe(200);
      expect(await resume(worker, paused.executionId)).toMatchObject({ status: "completed", result: { status: 201, data: { added: { name: "n" } }, type: "application/json" } });
    });

    it("a GraphQL call answers its HTTP status and headers too", async () => {
      const run = await execute(worker, `return await tools.store.query.item({ id: "1" }, { response: "full" })`);
      expect(run.result).toMatchObject({ data: { id: "1", name: "first" }, status: 200, headers: { "content-type": "application/json" } });
    });

    it("a tool with no HTTP answer of its own (built-in) answers a null status and no headers", async () => {
      const run = await execute(worker, `return await tools.executor.integrations.list({}, { response: "full" })`);
      expect(run.result).toMatchObject({ data: expect.anything(), status: null, headers: {} });
    });

    it.each([
      ["an unknown option", `{ respons: "full" }`, "unknown call option respons"],
      ["another response mode", `{ response: "headers" }`, 'response must be "data" or "full"'],
      ["options that are not an object", `"full"`, "must be an object"],
    ])("refuses %s with invalid_arguments, sending nothing", async (_case, options, message) => {
      const before = api.requests.length;
      const run = await execute(worker, `try { await tools.files.names.list({}, ${options}) } catch (e) { return [e.code, e.message] }`);
      expect(run.result).toEqual(["invalid_arguments", expect.stringContaining(message)]);
      expect(api.requests.length).toBe(before);
    });
  });

  describe("binary answers", () => {
    it.each(["pixel.png", "report.pdf", "archive.zip"])("%s comes back as base64 that decodes to the exact bytes", async (name) => {
      const run = await execute(worker, `return await tools.files.files.download({ name: ${JSON.stringify(name)} })`);
      const answer = run.result as BinaryAnswer;
      expect(answer).toEqual({ contentType: FILES[name].type, size: FILES[name].bytes.length, base64: expect.any(String) });
      expect(Buffer.from(answer.base64, "base64").equals(FILES[name].bytes)).toBe(true);
    });

    it("text that is not UTF-8 comes back as bytes rather than mangled text; untyped text stays text", async () => {
      const run = await execute(worker, `return [await tools.files.files.download({ name: "latin1.txt" }), await tools.files.files.download({ name: "untyped.txt" })]`);
      const [latin1, untyped] = run.result as [BinaryAnswer, string];
      expect(latin1.contentType).toBe("text/plain; charset=iso-8859-1");
      expect(Buffer.from(latin1.base64, "base64").toString("latin1")).toBe("café au lait");
      expect(untyped).toBe("plain words");
    });

    it("with the full response, the binary answer is the data", async () => {
      const run = await execute(worker, `const a = await tools.files.files.download({ name: "pixel.png" }, { response: "full" }); return { status: a.status, type: a.headers["content-type"], size: a.data.size }`);
      expect(run.result).toEqual({ status: 200, type: "image/png", size: FILES["pixel.png"].bytes.length });
    });
  });

  describe("uploads", () => {
    const png = FILES["pixel.png"].bytes;
    const pdf = FILES["report.pdf"].bytes;

    it("a multipart upload: files with their names and types, text, numbers and JSON fields", async () => {
      const run = await execute(
        worker,
        `return await tools.files.files.upload({ body: {
           file: { base64: ${JSON.stringify(png.toString("base64"))}, filename: "pixel \\"one\\".png", contentType: "image/png" },
           attachments: [{ base64: ${JSON.stringify(pdf.toString("base64"))}, filename: "report.pdf", contentType: "application/pdf" }, { base64: "aGk=" }],
           title: "Grüße",
           count: 3,
           meta: { tags: ["a", "b"] },
         } })`,
      );
      expect(run.error).toBeUndefined();
      const received = run.result as ReceivedUpload;
      expect(received.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
      expect(received.files).toEqual([
        { field: "file", filename: 'pixel "one".png', type: "image/png", size: png.length, sha256: sha256(png) },
        { field: "attachments", filename: "report.pdf", type: "application/pdf", size: pdf.length, sha256: sha256(pdf) },
        { field: "attachments", filename: "attachments", type: "application/octet-stream", size: 2, sha256: sha256(Buffer.from("hi")) },
      ]);
      expect(received.fields).toEqual({ title: ["Grüße"], count: ["3"], meta: ['{"tags":["a","b"]}'] });
    });

    it("an octet-stream upload sends the exact bytes with the type given", async () => {
      const run = await execute(worker, `return await tools.files.files.put({ name: "copy.pdf", body: { base64: ${JSON.stringify(pdf.toString("base64"))}, contentType: "application/pdf" } })`);
      expect(run.result).toEqual({ name: "copy.pdf", contentType: "application/pdf", size: pdf.length, sha256: sha256(pdf) });
    });

    it("a downloaded file can be uploaded as it came (its size is ignored)", async () => {
      const run = await execute(
        worker,
        `const file = await tools.files.files.download({ name: "archive.zip" });
         const stored = await tools.files.files.put({ name: "again.zip", body: file });
         const sent = await tools.files.files.upload({ body: { file: { ...file, filename: "again.zip" } } });
         return { stored, sent: sent.files }`,
      );
      const zip = FILES["archive.zip"].bytes;
      expect(run.result).toEqual({
        stored: { name: "again.zip", contentType: "application/zip", size: zip.length, sha256: sha256(zip) },
        sent: [{ field: "file", filename: "again.zip", type: "application/zip", size: zip.length, sha256: sha256(zip) }],
      });
    });

    it.each([
      ["bytes that are not base64", `{ name: "x", body: { base64: "not base64!" } }`, "/body/base64"],
      ["a content type with a line break", `{ name: "x", body: { base64: "aGk=", contentType: "text/plain\\r\\nX-Evil: 1" } }`, "/body/contentType"],
      ["a plain string instead of {base64}", `{ name: "x", body: "aGk=" }`, "/body"],
    ])("refuses %s with invalid_arguments, sending nothing", async (_case, args, path) => {
      const before = api.requests.length;
      const run = await execute(worker, `try { await tools.files.files.put(${args}) } catch (e) { return { code: e.code, details: e.details } }`);
      expect(run.result).toMatchObject({ code: "invalid_arguments", details: expect.arrayContaining([expect.objectContaining({ path })]) });
      expect(api.requests.length).toBe(before);
    });
  });
});
