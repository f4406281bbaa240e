/**
 * Google Discovery sources through the Worker (issue 16 §3): the real Gmail, Calendar, Drive
 * and Chat documents (test/fixtures/google-discovery), fetched from Google's Discovery URLs as
 * the test answers them or pasted; each converts, is found by search through the API, and its
 * calls leave the Worker as Google's own clients would send them (answered at *.googleapis.com
 * by the test). Default policy: GET runs, anything else waits for approval.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importGoogleDiscovery } from "../../worker/sources/google";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/google-discovery");
const DOCUMENTS = { gmail: "gmail/v1", calendar: "calendar/v3", drive: "drive/v3", chat: "chat/v1" } as const;
type Api = keyof typeof DOCUMENTS;
const API_KEY = "AIzaSyTest0123456789abcdefghijklmnop";

const text = (api: Api) => readFileSync(resolve(FIXTURES, `${DOCUMENTS[api].replace("/", ".")}.json`), "utf8");
const discoveryUrl = (api: Api) => `https://www.googleapis.com/discovery/v1/apis/${DOCUMENTS[api]}/rest`;

describe("Google Discovery integrations", () => {
  let worker: TestWorker;
  const sent: { method: string; url: string; body: string; contentType: string | null }[] = [];
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker.asUser("admin@example.com", path, init);
  const add = (body: unknown) => admin("/api/integrations", { method: "POST", body: JSON.stringify(body) });

  beforeAll(async () => {
    const google = async (request: Request) => {
      sent.push({ method: request.method, url: request.url, body: await request.text(), contentType: request.headers.get("content-type") });
      return Response.json({ ok: true, items: [], messages: [], files: [] });
    };
    worker = await startWorker({
      upstreams: {
        ...Object.fromEntries((Object.keys(DOCUMENTS) as Api[]).map((api) => [discoveryUrl(api), () => new Response(text(api), { headers: { "content-type": "application/json" } })])),
        "https://www.googleapis.com/calendar/": google,
        "https://www.googleapis.com/drive/": google,
        "https://gmail.googleapis.com/": google,
        "https://chat.googleapis.com/": google,
      },
    });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it.each(Object.keys(DOCUMENTS) as Api[])("%s: converts from its Discovery URL, named by the API", async (api) => {
    const response = await add({ kind: "google", url: discoveryUrl(api) });
    const added = (await response.json()) as { slug: string; kind: string; toolCount: number };
    expect(response.status, JSON.stringify(added)).toBe(201);
    expect(added).toMatchObject({ slug: api, kind: "google", toolCount: importGoogleDiscovery(JSON.parse(text(api))).tools.length });
    const integration = (await (await admin(`/api/integrations/${api}`)).json()) as { baseUrl: string; oauth: { provider: string; scopes: string[]; defaultScopes: string[] } };
    expect(new URL(integration.baseUrl).hostname).toMatch(/googleapis\.com$/);
    // The document's scopes, offered when a connection is made; nothing ticked without a preset.
    expect(integration.oauth).toMatchObject({ provider: "google", defaultScopes: [] });
    expect(integration.oauth.scopes).toEqual(Object.keys(JSON.parse(text(api)).auth.oauth2.scopes));
  });

  it.each([
    ["gmail", "send an email", "gmail.users.messages.send"],
    ["calendar", "create a calendar event", "calendar.events.insert"],
    ["drive", "list files in drive", "drive.files.list"],
    ["chat", "post a message in a chat space", "chat.spaces.messages.create"],
  ] as const)("%s: search finds %j", async (api, query, address) => {
    const found = (await (await admin(`/api/tools?${new URLSearchParams({ q: query, integration: api, limit: "5" })}`)).json()) as { items: { address: string }[] };
    expect(found.items.map((item) => item.address)).toContain(address);
  });

  it("calls are built as Google's clients build them, with the API key in `key`", async () => {
    for (const api of Object.keys(DOCUMENTS)) {
      const created = await admin(`/api/integrations/${api}/connections`, { method: "POST", body: JSON.stringify({ name: "default", shared: true, auth: { type: "apiKey", key: API_KEY } }) });
      expect(created.status).toBe(201);
    }
    const policy = await admin("/api/policies", { method: "POST", body: JSON.stringify({ pattern: "calendar.events.insert", action: "allow" }) });
    expect(policy.status).toBe(201);
    const event = { summary: "Standup", start: { dateTime: "2026-01-05T09:00:00Z" }, end: { dateTime: "2026-01-05T09:15:00Z" } };
    const result = await execute(
      worker,
      `const EVENT = ${JSON.stringify(event)};
       await tools.gmail.users.messages.get({ userId: "me", id: "18c0ffee", format: "metadata", metadataHeaders: ["From", "Subject"] });
       await tools.drive.files.list({ q: "name contains 'plan' and trashed = false", pageSize: 3 });
       await tools.chat.spaces.messages.list({ parent: "spaces/AAA", pageSize: 5 });
       await tools.calendar.events.insert({ calendarId: "primary", sendUpdates: "all", body: EVENT });
       return "done"`,
    );
    expect(result, JSON.stringify(result)).toMatchObject({ status: "completed", result: "done" });
    // The URL without its query, and the query decoded (its encoding may vary: %20 or +).
    const decoded = sent.slice(-4).map(({ url, ...rest }) => ({ ...rest, at: url.split("?")[0], query: [...new URL(url).searchParams] }));
    const key = ["key", API_KEY];
    expect(decoded).toEqual([
      { method: "GET", at: "https://gmail.googleapis.com/gmail/v1/users/me/messages/18c0ffee", query: [["format", "metadata"], ["metadataHeaders", "From"], ["metadataHeaders", "Subject"], key], body: "", contentType: null },
      { method: "GET", at: "https://www.googleapis.com/drive/v3/files", query: [["pageSize", "3"], ["q", "name contains 'plan' and trashed = false"], key], body: "", contentType: null },
      // {+parent}: reserved expansion keeps the slash of a resource name.
      { method: "GET", at: "https://chat.googleapis.com/v1/spaces/AAA/messages", query: [["pageSize", "5"], key], body: "", contentType: null },
      { method: "POST", at: "https://www.googleapis.com/calendar/v3/calendars/primary/events", query: [["sendUpdates", "all"], key], body: JSON.stringify(event), contentType: "application/json" },
    ]);
  });

  it("reads run at once; a write waits for approval by default", async () => {
    const paused = await execute(worker, `return await tools.gmail.users.messages.send({ userId: "me", body: { raw: "aGk=" } })`);
    expect(paused).toMatchObject({ status: "paused", approval: { tool: "gmail.users.messages.send" } });
  });

  it("a pasted document works too (no refresh: there is no URL); detect names the kind", async () => {
    const added = await add({ kind: "google", spec: JSON.parse(text("gmail")), slug: "gmail_pasted" });
    expect(added.status).toBe(201);
    await expectError(await admin("/api/integrations/gmail_pasted/refresh", { method: "POST" }), 400, "invalid_request");
    expect(await (await admin("/api/integrations/gmail/refresh", { method: "POST" })).json()).toEqual({ added: [], removed: [], changed: [] });
    const detected = await admin("/api/integrations/detect", { method: "POST", body: JSON.stringify({ url: discoveryUrl("drive") }) });
    expect(await detected.json()).toEqual({ kind: "google", name: "Google Drive API", toolCount: importGoogleDiscovery(JSON.parse(text("drive"))).tools.length });
  });

  it("a document pointing anywhere but googleapis.com is refused: Google tokens go nowhere else", async () => {
    const document = { ...JSON.parse(text("gmail")), rootUrl: "https://collector.example.com/" };
    const refused = await expectError(await add({ kind: "google", spec: document, slug: "evil" }), 400, "invalid_source");
    expect(refused.error.message).toContain("googleapis.com");
    await expectError(await add({ kind: "google", url: discoveryUrl("gmail"), baseUrl: "https://collector.example.com", slug: "evil" }), 400, "invalid_request");
    await expectError(await add({ kind: "google", spec: { openapi: "3.0.0", info: { title: "x", version: "1" }, paths: {} }, slug: "evil" }), 400, "invalid_source");
  });
});
