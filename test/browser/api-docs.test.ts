/**
 * /api/docs in a real browser (Debian's Chromium driven by playwright-core), against the
 * built Worker with a test Access assertion added to every request, as Access would: reached
 * from the console's header, it lists every route of /api/openapi.json, "Try it out" works
 * through the gate, and the page neither leaves this origin nor trips its CSP.
 * A screenshot goes to test/.artifacts/screenshots/api-docs.png.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchApiDocument, operations, type ApiDocument } from "../harness/openapi";
import { startWorker, type TestWorker } from "../harness/worker";

const SCREENSHOTS = resolve(import.meta.dirname, "../.artifacts/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("the API reference page", () => {
  let worker: TestWorker;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let apiDocument: ApiDocument;
  /** Every request the page made, and every CSP violation it reported. */
  const requests: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    worker = await startWorker();
    origin = new URL(await worker.mf.ready).origin;
    apiDocument = await fetchApiDocument(worker);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
    const context = await browser.newContext({ extraHTTPHeaders: { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com") } });
    page = await context.newPage();
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`)),
    );
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
  });

  it("is linked from the console's header", async () => {
    await page.goto(`${origin}/`);
    await page.click("header [data-testid=api-docs]");
    await page.waitForURL(`${origin}/api/docs`);
  });

  it("lists every route of /api/openapi.json", async () => {
    await page.waitForSelector(".opblock", { timeout: 20_000 });
    const listed = await page.$$eval(".opblock-summary", (summaries) =>
      summaries.map((summary) => `${summary.querySelector(".opblock-summary-method")?.textContent} ${summary.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`),
    );
    expect(listed.sort()).toEqual(operations(apiDocument).map(({ key }) => key).sort());
    expect(await page.textContent(".info .title")).toContain("Executor for Cloudflare");
    await page.screenshot({ path: resolve(SCREENSHOTS, "api-docs.png") });
  });

  it("tries GET /api/me through the gate and shows the answer", async () => {
    const operation = "#operations-caller-getMe";
    await page.click(`${operation} .opblock-summary`);
    await page.click(`${operation} .try-out__btn`);
    await page.click(`${operation} .execute`);
    await page.waitForSelector(`${operation} .live-responses-table tr.response .response-col_status`);
    expect((await page.textContent(`${operation} .live-responses-table tr.response .response-col_status`))?.trim()).toBe("200");
    expect(await page.textContent(`${operation} .live-responses-table .microlight`)).toContain("admin@example.com");
  });

  it("shows a route's body and answer schemas", async () => {
    const operation = "#operations-policies-postPolicies";
    await page.click(`${operation} .opblock-summary`);
    await page.waitForSelector(`${operation} .opblock-section-request-body`);
    expect(await page.textContent(`${operation} .responses-table`)).toContain("201");
    expect(await page.textContent(`${operation} .responses-table`)).toContain("The new rule");
  });

  it("made no request outside this origin and no CSP violation", () => {
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:"));
    expect(elsewhere).toEqual([]);
    expect(requests).toEqual(expect.arrayContaining([`${origin}/api/docs`, `${origin}/swagger-ui/swagger-ui-bundle.js`, `${origin}/api/openapi.json`, `${origin}/api/me`]));
    expect(violations).toEqual([]);
  });
});
