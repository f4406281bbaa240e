/**
 * The console in a real browser (Debian's Chromium driven by playwright-core), against the
 * built Worker with a test Access assertion added to every request, as Access would.
 * A screenshot of each page goes to test/.artifacts/screenshots.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWorker, type TestWorker } from "../harness/worker";

const SCREENSHOTS = resolve(import.meta.dirname, "../.artifacts/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("the console", () => {
  let api: ItemsApi;
  let worker: TestWorker;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const open = async (path: string) => {
    await page.goto(`${origin}${path}`);
    await page.waitForSelector(`body[data-ready="${new URL(path, origin).pathname}"]`);
  };
  const shoot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    api = await startItemsApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    origin = new URL(await worker.mf.ready).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
    context = await browser.newContext({ extraHTTPHeaders: { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com") } });
    page = await context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
  });

  it("shows the connect page with the MCP URL and the signed-in identity", async () => {
    await open("/");
    expect(await page.textContent("[data-testid=mcp-url]")).toBe(`${origin}/mcp`);
    expect(await page.textContent("[data-testid=identity]")).toContain("admin@example.com");
    expect(await page.getAttribute("a[href='/cdn-cgi/access/logout']", "href")).toBe("/cdn-cgi/access/logout");
    await shoot("connect");
  });

  it("adds an OpenAPI integration from its URL (detect, then confirm)", async () => {
    await open("/integrations");
    await page.fill("input[name=url]", `${api.origin}/openapi.json`);
    await page.click("text=Detect");
    await page.waitForSelector("[data-testid=confirm-add]");
    expect(await page.textContent("#app")).toContain("Detected openapi");
    await page.click("[data-testid=confirm-add]");
    await page.waitForSelector('body[data-ready="/integrations/items_api"]');
    expect(await page.textContent("h1")).toContain("items_api");
    await shoot("integration");
  });

  it("adds a connection; the secret is never shown back", async () => {
    await page.fill("[data-testid=add-connection] input[name=name]", "work");
    await page.selectOption("[data-testid=add-connection] select[name=type]", "bearer");
    await page.fill("[data-testid=add-connection] input[name=token]", CREDENTIALS.bearer);
    await page.check("[data-testid=add-connection] input[name=shared]");
    await page.click("[data-testid=add-connection] button[type=submit]");
    await page.waitForSelector("td:text('work')");
    const text = await page.textContent("#app");
    expect(text).toContain("bear…789");
    expect(text).not.toContain(CREDENTIALS.bearer);
  });

  it("searches a tool and shows its TypeScript signature", async () => {
    await open("/tools?q=create item");
    await page.click("text=items_api.items.createItem");
    await page.waitForSelector("pre.signature");
    expect(await page.textContent("pre.signature")).toMatch(/^\(args: \{/);
    await shoot("tools");
  });

  it("adds a policy and previews how many tools it matches", async () => {
    await open("/policies");
    await page.fill("[data-testid=add-policy] input[name=pattern]", "items_api.items.listItems");
    expect(await page.textContent("[data-testid=add-policy]")).toContain("matches 1 tools");
    await page.selectOption("[data-testid=add-policy] select[name=action]", "allow");
    await page.click("[data-testid=add-policy] button[type=submit]");
    await page.waitForSelector("code:text('items_api.items.listItems')");
    await shoot("policies");
  });

  it("approves a paused program on its execution page and sees it completed", async () => {
    const response = await worker.asUser("admin@example.com", "/api/executions", {
      method: "POST",
      body: JSON.stringify({ code: `const item = await tools.items_api.items.createItem({ body: { name: "from the browser" } }); return item.name` }),
    });
    const paused = (await response.json()) as { status: string; approval: { url: string } };
    expect(paused.status).toBe("paused");
    const url = new URL(paused.approval.url);
    await open(url.pathname);
    const card = await page.textContent("[data-testid=approval]");
    expect(card).toContain("items_api.items.createItem");
    expect(await page.textContent("pre.args")).toContain('"name": "from the browser"');
    await shoot("approval");
    await page.click("[data-testid=approval] >> text=Approve");
    await page.waitForSelector("pre.result");
    expect(await page.textContent("pre.result")).toBe('"from the browser"');
    expect(await page.textContent("#app")).toContain("completed");
    await open("/executions");
    await shoot("executions");
  });

  it("renders hostile upstream text as text (XSS attempt inert)", async () => {
    const hostile = {
      openapi: "3.0.0",
      info: { title: "Hostile", version: "1" },
      servers: [{ url: "https://hostile.example" }],
      paths: {
        "/x": { get: { operationId: "xss", summary: `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`, responses: { "200": { description: "ok" } } } },
      },
    };
    const added = await worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", slug: "hostile", spec: hostile }) });
    expect(added.status).toBe(201);
    await open("/tools?q=xss");
    expect(await page.textContent("#app")).toContain('<img src=x onerror="window.__xss=1">');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.$("img[src=x]")).toBeNull();
  });

  it("a cross-site POST is refused with 403 and changes nothing", async () => {
    const before = await worker.db.prepare("SELECT count(*) AS n FROM policies").first<{ n: number }>();
    const other = await context.newPage();
    await other.goto(`${api.origin}/openapi.json`);
    const refused = other.waitForResponse((r) => r.url() === `${origin}/api/policies` && r.request().method() === "POST");
    await other.evaluate(async (target) => {
      await fetch(`${target}/api/policies`, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: JSON.stringify({ pattern: "*", action: "allow" }) }).catch(() => undefined);
    }, origin);
    expect((await refused).status()).toBe(403);
    expect(await worker.db.prepare("SELECT count(*) AS n FROM policies").first<{ n: number }>()).toEqual(before);
    await other.close();
  });

  it("hides admin-only actions from a member", async () => {
    const member = await browser.newContext({ extraHTTPHeaders: { "cf-access-jwt-assertion": await worker.issuer.user("bob@example.com") } });
    const memberWorker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true", ADMIN_EMAILS: "admin@example.com" }, issuer: worker.issuer });
    try {
      const memberPage = await member.newPage();
      const memberOrigin = new URL(await memberWorker.mf.ready).origin;
      await memberPage.goto(`${memberOrigin}/integrations`);
      await memberPage.waitForSelector('body[data-ready="/integrations"]');
      expect(await memberPage.$("text=Add an integration")).toBeNull();
      await memberPage.goto(`${memberOrigin}/policies`);
      await memberPage.waitForSelector('body[data-ready="/policies"]');
      expect(await memberPage.$("[data-testid=add-policy]")).toBeNull();
    } finally {
      await member.close();
      await memberWorker.close();
    }
  });
});
