/**
 * import-discovery.ts against real Discovery documents (Gmail v1, Calendar v3, Drive v3, and
 * Chat v1 for `{+name}` paths; see test/fixtures/google-discovery/README.md): every method
 * becomes a tool with a unique name and a schema the Worker's validator compiles, requests
 * are built exactly as Google's clients build them, reads run and writes wait, and the tools
 * are found by search. Synthetic documents cover what the real ones lack.
 */
import { Validator } from "@cfworker/json-schema";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSearchIndex, search, searchDocumentOf } from "../../../worker/catalog/search";
import { importGoogleDiscovery, type GoogleImport } from "../../../worker/sources/google";
import { buildRequest, SpecError, type OpenApiTool } from "../../../worker/sources/openapi";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/google-discovery");
const APIS = { gmail: "gmail.v1", calendar: "calendar.v3", drive: "drive.v3", chat: "chat.v1" } as const;
type Api = keyof typeof APIS;
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const documents = {} as Record<Api, Record<string, unknown>>;
const imported = {} as Record<Api, GoogleImport>;

beforeAll(() => {
  for (const [api, file] of Object.entries(APIS) as [Api, string][]) {
    documents[api] = JSON.parse(readFileSync(resolve(FIXTURES, `${file}.json`), "utf8"));
    imported[api] = importGoogleDiscovery(documents[api]);
  }
});

function tool(api: Api, name: string): OpenApiTool {
  const found = imported[api].tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${api}.${name}`);
  return found;
}

function call(api: Api, name: string, args: Record<string, unknown>) {
  return buildRequest(tool(api, name).invocation, imported[api].baseUrl, args);
}

/** Every method of a document, by walking its resources independently of the importer. */
function methodIds(node: unknown): string[] {
  const value = node as { methods?: Record<string, { id: string }>; resources?: Record<string, unknown> };
  return [...Object.values(value.methods ?? {}).map((method) => method.id), ...Object.values(value.resources ?? {}).flatMap(methodIds)];
}

function compile(schema: object): Validator {
  // structuredClone: the validator annotates the schema objects it is given, and tools share their $defs.
  return new Validator(structuredClone(schema) as never, "2020-12", false);
}

describe.each(Object.keys(APIS) as Api[])("the real %s Discovery document", (api) => {
  it("makes a tool of every method, named by its resource path (the method id without the API)", () => {
    const ids = methodIds(documents[api]);
    expect(ids.length).toBeGreaterThan(25);
    expect(imported[api].tools.map((candidate) => candidate.name).sort()).toEqual(ids.map((id) => id.split(".").slice(1).join(".")).sort());
  });

  it("gives every tool a unique name of identifier segments", () => {
    const names = imported[api].tools.map((candidate) => candidate.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => !name.split(".").every((segment) => SEGMENT.test(segment)))).toEqual([]);
  });

  it("produces input and output schemas the Worker's validator compiles and applies", () => {
    for (const candidate of imported[api].tools) {
      expect(compile(candidate.inputSchema).validate({ __not_a_parameter__: 1 }).valid, candidate.name).toBe(false);
      if (candidate.outputSchema) compile(candidate.outputSchema);
    }
  });

  it("lets GET run and makes everything else wait for approval", () => {
    for (const candidate of imported[api].tools) {
      expect(candidate.defaultPolicy, candidate.name).toBe(candidate.invocation.method === "GET" ? "allow" : "approve");
    }
  });

  it("lists the document's OAuth scopes and Google's endpoints for them", () => {
    const declared = Object.keys((documents[api] as { auth: { oauth2: { scopes: object } } }).auth.oauth2.scopes);
    expect(imported[api].scopes).toEqual(declared);
    expect(imported[api].securitySchemes.oauth2).toMatchObject({ type: "oauth2", tokenUrl: "https://oauth2.googleapis.com/token", scopes: declared });
    expect(imported[api].tools.every((candidate) => candidate.invocation.security.length === 2)).toBe(true);
  });
});

describe("metadata", () => {
  it.each([
    ["gmail", "Gmail API", "https://gmail.googleapis.com", "v1", "https://mail.google.com/"],
    ["calendar", "Calendar API", "https://www.googleapis.com/calendar/v3", "v3", "https://www.googleapis.com/auth/calendar"],
    ["drive", "Google Drive API", "https://www.googleapis.com/drive/v3", "v3", "https://www.googleapis.com/auth/drive"],
  ] as const)("reads %s's title, name, base URL (rootUrl + servicePath), version and scopes", (api, title, baseUrl, version, scope) => {
    expect(imported[api]).toMatchObject({ title, apiName: api, baseUrl, version });
    expect(imported[api].scopes).toContain(scope);
    expect(imported[api].documentationLink).toMatch(/^https:\/\/developers\.google\.com\//);
  });
});

describe("input schemas", () => {
  it("maps users.messages.list's parameters: order, required, repeated, typed defaults", () => {
    const list = tool("gmail", "users.messages.list");
    expect(Object.keys(list.inputSchema.properties as object)).toEqual(["userId", "includeSpamTrash", "labelIds", "maxResults", "pageToken", "q", "fields"]);
    expect(list.inputSchema.required).toEqual(["userId"]);
    expect(list.inputSchema.properties).toMatchObject({
      userId: { type: "string", default: "me" },
      includeSpamTrash: { type: "boolean", default: false },
      labelIds: { type: "array", items: { type: "string" } },
      maxResults: { type: "integer", format: "uint32", default: 100 },
    });
    const validator = compile(list.inputSchema);
    expect(validator.validate({ userId: "me", labelIds: ["INBOX"], maxResults: 10 }).valid).toBe(true);
    expect(validator.validate({ userId: "me", labelIds: "INBOX" }).valid).toBe(false);
    expect(validator.validate({ labelIds: ["INBOX"] }).valid).toBe(false);
  });

  it("makes the request body required and requires what the method's annotations require", () => {
    const send = tool("gmail", "users.messages.send");
    expect(send.inputSchema.required).toEqual(["userId", "body"]);
    expect((send.inputSchema.properties as Record<string, unknown>).body).toEqual({ $ref: "#/$defs/Message", required: ["raw"] });
    expect(send.outputSchema).toMatchObject({ $ref: "#/$defs/Message", $defs: { Message: { type: "object" } } });
    const validator = compile(send.inputSchema);
    expect(validator.validate({ userId: "me", body: { raw: "RnJvbTogYQ" } }).valid).toBe(true);
    expect(validator.validate({ userId: "me", body: { threadId: "t" } }).valid).toBe(false);

    const insert = compile(tool("calendar", "events.insert").inputSchema);
    const event = { summary: "Review", start: { dateTime: "2024-06-03T10:00:00+02:00" }, end: { dateTime: "2024-06-03T11:00:00+02:00" } };
    expect(insert.validate({ calendarId: "primary", body: event }).valid).toBe(true);
    expect(insert.validate({ calendarId: "primary", body: { summary: "Review" } }).valid).toBe(false);
  });

  it("accepts a 64-bit integer as a string or a number, as Google does", () => {
    const history = compile(tool("gmail", "users.history.list").inputSchema);
    expect(history.validate({ userId: "me", startHistoryId: "18446744073709551615" }).valid).toBe(true);
    expect(history.validate({ userId: "me", startHistoryId: 12345 }).valid).toBe(true);
    expect(history.validate({ userId: "me", startHistoryId: true }).valid).toBe(false);
  });

  it("keeps enums and bounds", () => {
    const list = tool("calendar", "events.list");
    expect(list.inputSchema.properties).toMatchObject({
      orderBy: { enum: ["startTime", "updated"] },
      maxResults: { type: "integer", minimum: 1 },
      timeMin: { type: "string", format: "date-time" },
    });
    expect(compile(list.inputSchema).validate({ calendarId: "primary", orderBy: "title" }).valid).toBe(false);
  });

  it("offers `fields` and no other global parameter", () => {
    for (const candidate of Object.values(imported).flatMap((api) => api.tools)) {
      const properties = Object.keys(candidate.inputSchema.properties as object);
      expect(properties, candidate.name).toContain("fields");
      for (const global of ["key", "access_token", "oauth_token", "alt", "prettyPrint", "quotaUser", "callback", "uploadType", "$.xgafv"]) {
        expect(properties, candidate.name).not.toContain(global);
      }
    }
  });
});

describe("requests", () => {
  it.each([
    [
      "gmail",
      "users.messages.list",
      { userId: "me", labelIds: ["INBOX", "UNREAD"], q: "from:ana@example.com is:unread", maxResults: 10 },
      { method: "GET", url: "https://gmail.googleapis.com/gmail/v1/users/me/messages?labelIds=INBOX&labelIds=UNREAD&maxResults=10&q=from%3Aana%40example.com%20is%3Aunread", headers: {} },
    ],
    [
      "gmail",
      "users.messages.get",
      { userId: "me", id: "18f2a", format: "metadata", metadataHeaders: ["From", "Subject"] },
      { method: "GET", url: "https://gmail.googleapis.com/gmail/v1/users/me/messages/18f2a?format=metadata&metadataHeaders=From&metadataHeaders=Subject", headers: {} },
    ],
    [
      "gmail",
      "users.messages.send",
      { userId: "me", body: { raw: "VG86IGFuYUBleGFtcGxlLmNvbQ" } },
      {
        method: "POST",
        url: "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
        headers: { "content-type": "application/json" },
        body: '{"raw":"VG86IGFuYUBleGFtcGxlLmNvbQ"}',
      },
    ],
    [
      "calendar",
      "events.list",
      { calendarId: "team@group.calendar.google.com", timeMin: "2024-06-01T00:00:00Z", singleEvents: true, orderBy: "startTime", privateExtendedProperty: ["a=1", "b=2"] },
      {
        method: "GET",
        url: "https://www.googleapis.com/calendar/v3/calendars/team%40group.calendar.google.com/events?orderBy=startTime&privateExtendedProperty=a%3D1&privateExtendedProperty=b%3D2&singleEvents=true&timeMin=2024-06-01T00%3A00%3A00Z",
        headers: {},
      },
    ],
    [
      "calendar",
      "events.insert",
      { calendarId: "primary", sendUpdates: "all", body: { summary: "Review", start: { date: "2024-06-03" }, end: { date: "2024-06-04" } } },
      {
        method: "POST",
        url: "https://www.googleapis.com/calendar/v3/calendars/primary/events?sendUpdates=all",
        headers: { "content-type": "application/json" },
        body: '{"summary":"Review","start":{"date":"2024-06-03"},"end":{"date":"2024-06-04"}}',
      },
    ],
    [
      "drive",
      "files.get",
      { fileId: "1AbC/x", supportsAllDrives: true, fields: "id,name,modifiedTime" },
      { method: "GET", url: "https://www.googleapis.com/drive/v3/files/1AbC%2Fx?supportsAllDrives=true&fields=id%2Cname%2CmodifiedTime", headers: {} },
    ],
    [
      "drive",
      "files.list",
      { q: "'root' in parents and trashed = false", pageSize: 50, fields: "nextPageToken,files(id,name)" },
      {
        method: "GET",
        url: "https://www.googleapis.com/drive/v3/files?pageSize=50&q='root'%20in%20parents%20and%20trashed%20%3D%20false&fields=nextPageToken%2Cfiles(id%2Cname)",
        headers: {},
      },
    ],
    [
      "drive",
      "permissions.create",
      { fileId: "f1", sendNotificationEmail: false, body: { role: "reader", type: "user", emailAddress: "ana@example.com" } },
      {
        method: "POST",
        url: "https://www.googleapis.com/drive/v3/files/f1/permissions?sendNotificationEmail=false",
        headers: { "content-type": "application/json" },
        body: '{"role":"reader","type":"user","emailAddress":"ana@example.com"}',
      },
    ],
    [
      "chat",
      "spaces.messages.create",
      { parent: "spaces/AAAA", threadKey: "t1", body: { text: "Deployed" } },
      { method: "POST", url: "https://chat.googleapis.com/v1/spaces/AAAA/messages?threadKey=t1", headers: { "content-type": "application/json" }, body: '{"text":"Deployed"}' },
    ],
    [
      "chat",
      "spaces.messages.delete",
      { name: "spaces/AAAA/messages/BBB.CCC" },
      { method: "DELETE", url: "https://chat.googleapis.com/v1/spaces/AAAA/messages/BBB.CCC", headers: {} },
    ],
  ] as const)("builds %s %s", (api, name, args, expected) => {
    expect(call(api, name, args)).toEqual(expected);
    expect(compile(tool(api, name).inputSchema).validate(args).valid).toBe(true);
  });

  it("uses flatPath when its placeholders are the method's parameters, else `path` with reserved expansion", () => {
    expect(tool("gmail", "users.drafts.get").invocation.path).toBe("gmail/v1/users/{userId}/drafts/{id}");
    expect(tool("calendar", "events.get").invocation.path).toBe("calendars/{calendarId}/events/{eventId}");
    const get = tool("chat", "spaces.messages.get").invocation;
    expect(get.path).toBe("v1/{name}");
    expect(get.parameters.find((parameter) => parameter.name === "name")).toEqual({ name: "name", in: "path", arg: "name", required: true, allowReserved: true });
    expect(tool("gmail", "users.drafts.get").invocation.parameters.some((parameter) => parameter.allowReserved)).toBe(false);
  });

  it.each([
    ["`..` after a valid prefix (it would reach DELETE v1/spaces/AAAA, spaces.delete)", "spaces/AAAA/messages/.."],
    ["a percent-encoded `..`", "spaces/AAAA/messages/%2E%2e"],
    ["a `.` segment", "spaces/./messages/x"],
    ["a leading slash", "/spaces/AAAA"],
  ])("refuses a reserved path value with %s", (_case, name) => {
    expect(() => call("chat", "spaces.messages.delete", { name })).toThrow(expect.objectContaining({ code: "invalid_arguments" }));
  });

  it("needs that refusal: the parameter's own pattern lets `..` through", () => {
    const schema = tool("chat", "spaces.messages.delete").inputSchema;
    expect(schema.properties).toMatchObject({ name: { pattern: "^spaces/[^/]+/messages/[^/]+$" } });
    expect(compile(schema).validate({ name: "spaces/AAAA/messages/.." }).valid).toBe(true);
  });
});

describe("search", () => {
  const index = () =>
    buildSearchIndex(
      (Object.keys(APIS) as Api[]).flatMap((api) =>
        imported[api].tools.map((candidate) => searchDocumentOf({ address: `${api}.${candidate.name}`, integration: api, description: candidate.description, inputSchema: candidate.inputSchema, invocation: candidate.invocation })),
      ),
    );

  // A light check that the names, descriptions and routes carry the words an agent uses.
  it.each([
    ["send an email", "gmail.users.messages.send"],
    ["create a calendar event", "calendar.events.insert"],
    ["list files in drive", "drive.files.list"],
    ["post a message in a chat space", "chat.spaces.messages.create"],
  ])("finds %s", (query, address) => {
    expect(search(index(), query, { limit: 5 }).hits.map((hit) => hit.address)).toContain(address);
  });
});

describe("documents it refuses or trims", () => {
  const minimal = (extra: Record<string, unknown> = {}) => ({
    kind: "discovery#restDescription",
    discoveryVersion: "v1",
    rootUrl: "https://example.googleapis.com/",
    servicePath: "",
    resources: { items: { methods: { get: { id: "example.items.get", httpMethod: "GET", path: "v1/items/{id}", parameters: { id: { type: "string", location: "path", required: true } } } } } },
    ...extra,
  });

  it("imports the minimal document the refusals below start from", () => {
    expect(importGoogleDiscovery(minimal()).tools.map((candidate) => candidate.name)).toEqual(["items.get"]);
  });

  it.each([
    ["a non-object", "[]"],
    ["an OpenAPI document", { openapi: "3.1.0", paths: {} }],
    ["something else", { kind: "something#else" }],
    ["a non-REST protocol", minimal({ protocol: "rpc" })],
    ["a root URL off googleapis.com, where a Google token must not go", minimal({ rootUrl: "https://evil.example/" })],
    ["a root URL that only ends like googleapis.com", minimal({ rootUrl: "https://notgoogleapis.com/" })],
    ["plain http", minimal({ rootUrl: "http://example.googleapis.com/" })],
    ["no methods", minimal({ resources: {} })],
  ])("refuses %s", (_case, document) => {
    expect(() => importGoogleDiscovery(document)).toThrow(SpecError);
  });

  it("adds a path placeholder the document forgot to declare, and skips methods it cannot call", () => {
    const result = importGoogleDiscovery(
      minimal({
        methods: {
          undeclared: { id: "example.undeclared", httpMethod: "POST", path: "v1/things/{thingId}:run" },
          badMethod: { id: "example.badMethod", httpMethod: "CONNECT", path: "v1/x" },
          badTemplate: { id: "example.badTemplate", httpMethod: "GET", path: "v1/{?query}" },
        },
      }),
    );
    expect(result.tools.map((candidate) => candidate.name)).toEqual(["undeclared", "items.get"]);
    const undeclared = result.tools[0];
    expect(undeclared.inputSchema).toMatchObject({ properties: { thingId: { type: "string" } }, required: ["thingId"] });
    expect(buildRequest(undeclared.invocation, result.baseUrl, { thingId: "a b" }).url).toBe("https://example.googleapis.com/v1/things/a%20b:run");
  });

  it("offers no body on a GET, which fetch could not send", () => {
    const result = importGoogleDiscovery(
      minimal({ schemas: { Query: { id: "Query", type: "object" } }, methods: { search: { id: "example.search", httpMethod: "GET", path: "v1/search", request: { $ref: "Query" } } } }),
    );
    expect(result.tools[0].invocation.body).toBeUndefined();
    expect(Object.keys(result.tools[0].inputSchema.properties as object)).toEqual(["fields"]);
  });

  it("names clashing or unusual keys validly and uniquely", () => {
    const method = { httpMethod: "GET", path: "v1/x" };
    const result = importGoogleDiscovery(minimal({ resources: { "my-things": { methods: { then: method, "2fa": method } }, myThings: { methods: { then: method } } } }));
    expect(result.tools.map((candidate) => candidate.name)).toEqual(["myThings._then", "myThings._2fa", "myThings._then2"]);
  });
});
