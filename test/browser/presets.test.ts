/**
 * Issue 16 in a real browser (Debian's Chromium driven by playwright-core) against the built
 * Worker: an admin registers a Google OAuth app on the OAuth apps page, adds the Gmail preset
 * from the Presets page (its Discovery document answered at Google's URL from the fixture),
 * adds the rules it suggests in one click, and connects with the app on the integration's
 * page: the browser goes through a Google-like authorization server on 127.0.0.1 and back to
 * the Worker's callback. Screenshots go to test/.artifacts/screenshots.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presetById } from "../../worker/presets";
import { startProviderOAuthServer, type ProviderOAuthServer } from "../harness/provider-oauth-server";
import { startWorker, type TestWorker } from "../harness/worker";

const SCREENSHOTS = resolve(import.meta.dirname, "../.artifacts/screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const GMAIL = readFileSync(resolve(import.meta.dirname, "../fixtures/google-discovery/gmail.v1.json"));

describe("presets and OAuth apps in the console", () => {
  let google: ProviderOAuthServer;
  let worker: TestWorker;
  let origin: string;
  let browser: Browser;
  let page: Page;

  const open = async (path: string) => {
    await page.goto(`${origin}${path}`);
    await page.waitForSelector(`body[data-ready="${new URL(path, origin).pathname}"]`);
  };
  const shoot = (name: string) => page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    google = await startProviderOAuthServer("google");
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, upstreams: { [presetById("gmail")!.url]: () => new Response(GMAIL) } });
    origin = new URL(await worker.mf.ready).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
    // x-test-user: the Google account the browser is signed in to, for the local authorization server.
    const context = await browser.newContext({
      extraHTTPHeaders: { "cf-access-jwt-assertion": await worker.issuer.user("admin@example.com"), "x-test-user": "admin@gmail.test" },
    });
    page = await context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await google?.close();
  });

  it("registers a Google app: the redirect URI to register is shown, the secret never is", async () => {
    await open("/oauth-apps");
    expect(await page.textContent("[data-testid=redirect-uri]")).toBe(`${origin}/api/oauth/callback`);
    await page.selectOption("[data-testid=add-oauth-app] select[name=provider]", "google");
    expect(await page.textContent("[data-testid=add-oauth-app]")).toContain("console.cloud.google.com");
    await page.fill("[data-testid=add-oauth-app] input[name=name]", "Google Workspace");
    await page.fill("[data-testid=add-oauth-app] input[name=clientId]", google.clientId);
    await page.fill("[data-testid=add-oauth-app] input[name=clientSecret]", google.clientSecret);
    await page.click("[data-testid=add-oauth-app] button[type=submit]");
    await page.waitForSelector("td:text('Google Workspace')");
    const text = await page.textContent("#app");
    expect(text).toContain(`${google.clientSecret.slice(0, 4)}…${google.clientSecret.slice(-3)}`);
    expect(text).not.toContain(google.clientSecret);
    await shoot("oauth-apps");
    // The browser form sets no endpoints for a named provider; point this app at the local stand-in for Google.
    const apps = (await (await worker.asUser("admin@example.com", "/api/oauth-apps")).json()) as { items: { id: string }[] };
    const changed = await worker.asUser("admin@example.com", `/api/oauth-apps/${apps.items[0]!.id}`, {
      method: "PATCH",
      body: JSON.stringify({ authorizationUrl: google.authorizationUrl, tokenUrl: google.tokenUrl }),
    });
    expect(changed.status).toBe(200);
  });

  it("adds the Gmail preset from its card, then its suggested rules in one click", async () => {
    await open("/presets");
    expect(await page.textContent("header a[aria-current=page]")).toBe("Presets");
    const card = page.locator("[data-preset=gmail]");
    expect(await card.textContent()).toContain("an OAuth app (google)");
    await card.locator("button[type=submit]").click();
    await card.locator("[data-testid=preset-added]").waitFor();
    expect(await card.textContent()).toMatch(/Added gmail with \d+ tools/);
    await card.locator("[data-testid=add-suggested]").click();
    await expect.poll(async () => card.textContent()).toContain("Added 2 rules.");
    const policies = (await (await worker.asUser("admin@example.com", "/api/policies")).json()) as { items: { pattern: string; action: string }[] };
    expect(policies.items.map((policy) => [policy.pattern, policy.action])).toEqual([
      ["gmail.users.messages.delete", "block"],
      ["gmail.users.messages.batchDelete", "block"],
    ]);
    await shoot("presets");
  });

  it("connects with the app: the preset's scopes are ticked, consent happens at the provider, the callback completes it", async () => {
    await page.click("[data-preset=gmail] [data-testid=preset-added]");
    await page.waitForSelector('body[data-ready="/integrations/gmail"]');
    expect(await page.inputValue("[data-testid=add-connection] select[name=type]")).toBe("oauth2_app");
    const ticked = await page.$$eval("[data-testid=add-connection] input[name=scope]:checked", (boxes) => boxes.map((box) => (box as HTMLInputElement).value));
    expect(ticked).toEqual(["https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/gmail.compose"]);
    await page.fill("[data-testid=add-connection] input[name=name]", "mine");
    await page.click("[data-testid=add-connection] button[type=submit]");
    // Off to the authorization server and back through /api/oauth/callback to the integration page.
    await page.waitForURL(`${origin}/integrations/gmail?connected=mine`);
    await page.waitForSelector('body[data-ready="/integrations/gmail"]');
    expect(await page.textContent("#app")).toContain("Connected mine.");
    expect(google.authorizations.at(-1)?.get("access_type")).toBe("offline");
    const connections = (await (await worker.asUser("admin@example.com", "/api/integrations/gmail/connections")).json()) as { items: { name: string; status: string }[] };
    expect(connections.items).toMatchObject([{ name: "mine", status: "ok" }]);
    await shoot("connected-with-app");
  });
});
