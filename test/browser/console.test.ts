/**
 * The console in a real browser (Debian's Chromium driven by playwright-core), against the
 * built Worker with a test Access assertion added to every request, as Access would; and its
 * static files (worker/console/public) over HTTP: served only after the gate, never in place
 * of /api, /mcp or /.well-known. A screenshot of each page goes to test/.artifacts/screenshots.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page, type Response as PlaywrightResponse } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWebhookReceiver } from "../harness/webhook-receiver";
import { CONSOLE_ASSETS, startWorker, type TestWorker } from "../harness/worker";

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
    const files: { path: string; type: string | null; nosniff: string | null }[] = [];
    const collect = (response: PlaywrightResponse) => {
      const url = new URL(response.url());
      if (/\.(js|css)$/.test(url.pathname)) files.push({ path: url.pathname, type: response.headers()["content-type"] ?? null, nosniff: response.headers()["x-content-type-options"] ?? null });
    };
    page.on("response", collect);
    await open("/");
    page.off("response", collect);
    // The entry module, the modules it imports and the stylesheet, each under its own type.
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(["/console.css", "/console.js", "/dom.js", "/api-client.js", "/connect.js"]));
    for (const file of files) {
      expect(file.type).toMatch(file.path.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      expect(file.nosniff).toBe("nosniff");
    }
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
    await open("/tools");
    await page.fill("input[name=q]", "create item");
    await page.press("input[name=q]", "Enter");
    await page.waitForURL(`${origin}/tools?q=create+item`);
    await page.waitForSelector('body[data-ready="/tools"]');
    expect(await page.inputValue("input[name=q]")).toBe("create item");
    await page.click("text=items_api.items.createItem");
    await page.waitForSelector("pre.signature");
    expect(await page.textContent("pre.signature")).toMatch(/^\(args: \{/);
    await shoot("tools");
  });

  it("previews how many tools a pattern matches, as the server counts them", async () => {
    await open("/policies");
    expect(await page.textContent("header a[aria-current=page]")).toBe("Policies");
    const pattern = "items_api.items.*";
    const asked = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/tools" && new URL(r.url()).searchParams.get("pattern") === pattern);
    await page.fill("[data-testid=add-policy] input[name=pattern]", pattern);
    const response = await asked;
    expect(new URL(response.url()).searchParams.get("limit")).toBe("1");
    const { total } = (await response.json()) as { total: number };
    // What the catalog holds under items_api.items, read independently of the pattern filter.
    const all = (await (await worker.asUser("admin@example.com", "/api/tools?integration=items_api&limit=100")).json()) as { items: { address: string }[] };
    expect(total).toBe(all.items.filter((tool) => tool.address.startsWith("items_api.items.")).length);
    expect(total).toBeGreaterThan(1);
    await expect.poll(() => page.textContent("[data-testid=policy-preview]")).toBe(`matches ${total} tools`);

    await page.fill("[data-testid=add-policy] input[name=pattern]", "items_api..x");
    await expect.poll(() => page.textContent("[data-testid=policy-preview]")).toMatch(/^pattern: segments are names/);
  });

  it("adds a policy and previews how many tools it matches", async () => {
    await open("/policies");
    await page.fill("[data-testid=add-policy] input[name=pattern]", "items_api.items.listItems");
    await expect.poll(() => page.textContent("[data-testid=policy-preview]")).toBe("matches 1 tools");
    await page.selectOption("[data-testid=add-policy] select[name=action]", "allow");
    await page.click("[data-testid=add-policy] button[type=submit]");
    await page.waitForSelector("code:text('items_api.items.listItems')");
    await expect.poll(() => page.textContent("[data-testid=rule-matches]")).toBe("matches 1 tools");
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
    // The unnamed call resolves to the only connection, the shared "work": the person sees what they approve.
    expect(await page.textContent("[data-testid=approval-connection]")).toBe("It will run with the shared connection work.");
    await shoot("approval");
    await page.click("[data-testid=approval] >> text=Approve");
    await page.waitForSelector("pre.result");
    expect(await page.textContent("pre.result")).toBe('"from the browser"');
    expect(await page.textContent("#app")).toContain("completed");
    await open("/executions");
    await shoot("executions");
    await page.selectOption("select[name=status]", "completed");
    await page.click("text=Filter");
    await page.waitForURL(/\/executions\?status=completed/);
    await page.waitForSelector('body[data-ready="/executions"]');
    expect(await page.inputValue("select[name=status]")).toBe("completed");
    expect(await page.textContent("#app")).toContain("from the browser");
    await open("/executions?status=failed");
    expect(await page.inputValue("select[name=status]")).toBe("failed");
    expect(await page.textContent("#app")).not.toContain("from the browser");
  });

  it("renders hostile upstream text as text (XSS attempt inert)", async () => {
    const hostile = {
      openapi: "3.0.0",
      info: { title: "Hostile", version: "1" },
      servers: [{ url: "https://hostile.example" }],
      paths: {
        // Tags are stripped from search summaries; escaped ones come back as text that must stay text.
        "/x": { get: { operationId: "xss", summary: `&lt;img src=x onerror=alert(1)&gt; <img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`, responses: { "200": { description: "ok" } } } },
      },
    };
    const added = await worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", slug: "hostile", spec: hostile }) });
    expect(added.status).toBe(201);
    await open("/tools?q=xss");
    expect(await page.textContent("#app")).toContain("<img src=x onerror=alert(1)");
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

  describe("static files", () => {
    it("the harness serves them as wrangler.jsonc configures them (and wrangler dev does)", async () => {
      const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
      const { workerOptions } = unstable_getMiniflareWorkerOptions(resolve(import.meta.dirname, "../../wrangler.jsonc"));
      expect(workerOptions.assets).toMatchObject(CONSOLE_ASSETS);
    });

    it.each(["/console.js", "/console.css", "/dom.js", "/no-such-file.js"])("%s without an assertion is the HTML refusal", async (path) => {
      const response = await worker.fetch(path);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).not.toContain("@ts-check");
    });

    it.each([
      ["/console.js", /^text\/javascript/],
      ["/policies.js", /^text\/javascript/],
      ["/console.css", /^text\/css/],
    ])("%s after the gate is served as %s, nosniff, revalidated", async (path, type) => {
      const response = await worker.asUser("bob@example.com", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(type);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("cache-control")).toBe("private, no-cache");
      const etag = response.headers.get("etag");
      expect(etag).toBeTruthy();
      await response.arrayBuffer();
      const again = await worker.asUser("bob@example.com", path, { headers: { "if-none-match": etag! } });
      expect(again.status).toBe(304);
      expect(again.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("an unknown file is the console's HTML 404", async () => {
      const response = await worker.asUser("bob@example.com", "/no-such-file.js");
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toContain("Not found");
    });

    it.each(["/api/console.js", "/mcp/console.js", "/.well-known/console.js", "/api/console.css"])("%s is never answered from the assets", async (path) => {
      const response = await worker.asUser("bob@example.com", path);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    });
  });

  it("sets up approval notifications on the Settings page and shows each pause's notification status", async () => {
    const receiver = await startWebhookReceiver("unused-secret-0123456789");
    try {
      await open("/settings");
      expect(await page.textContent("[data-testid=notifications-now]")).toContain("no webhook");
      expect(await page.textContent("[data-testid=secret-key]")).toContain("none");
      await page.fill("[data-testid=notification-form] input[name=url]", `${receiver.origin}/services/PathThatIsACredential`);
      await page.selectOption("[data-testid=notification-form] select[name=format]", "slack");
      await page.click("[data-testid=notification-form] button[type=submit]");
      await expect.poll(() => page.textContent("[data-testid=notifications-now]")).toContain(`slack to ${receiver.origin}/…, unsigned`);
      expect(await page.textContent("#app")).not.toContain("PathThatIsACredential");
      expect(await page.inputValue("[data-testid=notification-form] input[name=url]")).toBe("");
      await page.click("text=Send a test");
      await expect.poll(() => page.textContent("[data-testid=test-result]")).toContain("sent");
      expect(receiver.deliveries.map((delivery) => delivery.path)).toEqual(["/services/PathThatIsACredential"]);
      await shoot("settings");

      const response = await worker.asUser("admin@example.com", "/api/executions", {
        method: "POST",
        body: JSON.stringify({ code: `return await tools.items_api.items.createItem({ body: { name: "announced" } })` }),
      });
      const paused = (await response.json()) as { status: string; approval: { url: string } };
      expect(paused.status).toBe("paused");
      await expect.poll(async () => {
        await open(new URL(paused.approval.url).pathname);
        return page.$("[data-testid=notification]");
      }).not.toBeNull();
      expect(await page.textContent("[data-testid=notification]")).toMatch(/sent after 1 attempt/);
      await shoot("execution-notification");

      receiver.fallback = 500;
      const failing = (await (await worker.asUser("admin@example.com", "/api/executions", {
        method: "POST",
        body: JSON.stringify({ code: `return await tools.items_api.items.createItem({ body: { name: "unannounced" } })` }),
      })).json()) as { approval: { url: string } };
      await expect.poll(async () => {
        await open(new URL(failing.approval.url).pathname);
        return page.$("[data-testid=notification]");
      }, { timeout: 10_000 }).not.toBeNull();
      const line = await page.textContent("[data-testid=notification]");
      expect(line).toContain("failed after 3 attempts");
      expect(line).toContain("answered 500");
      expect(line).not.toContain("PathThatIsACredential");
      // The pause is intact: it can still be approved from here.
      expect(await page.$("[data-testid=approval] >> text=Approve")).not.toBeNull();
    } finally {
      await receiver.close();
    }
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
      await memberPage.goto(`${memberOrigin}/settings`);
      await memberPage.waitForSelector('body[data-ready="/settings"]');
      expect(await memberPage.textContent("#app")).toContain("Only admins");
      expect(await memberPage.$("[data-testid=notification-form]")).toBeNull();
    } finally {
      await member.close();
      await memberWorker.close();
    }
  });
});
