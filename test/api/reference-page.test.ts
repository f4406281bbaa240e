/**
 * GET /api/docs (worker/api/reference-page.ts) over HTTP, through the built Worker: the one
 * HTML page under /api, with its own CSP; behind the gate like everything else; its Swagger
 * UI files served from this Worker's assets (copied there by scripts/copy-swagger-ui.mjs at
 * build time), also only after the gate; every other /api path still JSON. The page in a real
 * browser is test/browser/api-docs.test.ts.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectUnauthorized } from "../harness/assertions";
import { startWorker, type TestWorker } from "../harness/worker";

const SWAGGER_UI = resolve(import.meta.dirname, "../../node_modules/swagger-ui-dist");

describe("/api/docs", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("is an HTML page with a CSP that keeps scripts, styles and requests on this origin", async () => {
    const response = await worker.asUser("bob@example.com", "/api/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const csp = response.headers.get("content-security-policy")!;
    expect(csp.split("; ")).toEqual(["default-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]);
    const html = await response.text();
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(loaded).toEqual(["data:,", "/swagger-ui/swagger-ui.css", "/api-docs.css", "/", "/api/openapi.json", "/swagger-ui/swagger-ui-bundle.js", "/api-docs.js"]);
    expect(html).not.toMatch(/<script>|<style|style=/);
  });

  it("is behind the gate, and refuses as JSON like every /api path", async () => {
    await expectUnauthorized(await worker.fetch("/api/docs"));
  });

  it.each([
    ["/api/docs/swagger-ui-bundle.js", "GET", 404, "not_found"],
    ["/api/docs/anything-else", "GET", 404, "not_found"],
    ["/api/docs", "POST", 405, "method_not_allowed"],
  ])("%s (%s) → %i JSON", async (path, method, status, code) => {
    await expectError(await worker.asUser("bob@example.com", path, { method }), status, code);
  });

  it.each([
    ["/swagger-ui/swagger-ui-bundle.js", /^text\/javascript/],
    ["/swagger-ui/swagger-ui.css", /^text\/css/],
    ["/api-docs.js", /^text\/javascript/],
    ["/api-docs.css", /^text\/css/],
  ])("%s is served after the gate as %s, nosniff; without an assertion it is the HTML refusal", async (path, type) => {
    const response = await worker.asUser("bob@example.com", path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(type);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    await response.arrayBuffer();
    const refused = await worker.fetch(path);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("serves the swagger-ui-dist files as published, with their licence", async () => {
    for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
      const response = await worker.asUser("bob@example.com", `/swagger-ui/${file}`);
      expect(response.status, file).toBe(200);
      expect(await response.text(), file).toBe(readFileSync(resolve(SWAGGER_UI, file), "utf8"));
    }
    expect(readFileSync(resolve(SWAGGER_UI, "LICENSE"), "utf8")).toContain("Apache License");
  });
});
