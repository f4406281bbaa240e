/**
 * Microsoft Graph by workload: Microsoft's own mail slice of the Graph v1.0 description
 * (test/fixtures/msgraph/README.md) imports whole, and include / exclude narrow it further to
 * exactly the operations on the kept paths, with the names and requests the importer makes.
 */
import { Validator } from "@cfworker/json-schema";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRequest, compilePathFilter, importOpenApi, parseSpecText, type OpenApiImport, type PathFilter } from "../../../worker/sources/openapi";

const MAIL = resolve(import.meta.dirname, "../../fixtures/msgraph/Mail.yml");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

let document: { paths: Record<string, Record<string, unknown>> };
let mail: OpenApiImport;

beforeAll(() => {
  document = parseSpecText(readFileSync(MAIL, "utf8")) as typeof document;
  mail = importOpenApi(document);
});

/** `METHOD path` of every operation on a path `keeps` accepts, read straight from the document. */
function operationsKept(filter: PathFilter): string[] {
  const keeps = compilePathFilter(filter);
  return Object.entries(document.paths)
    .filter(([path]) => keeps(path))
    .flatMap(([path, item]) => METHODS.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`));
}

describe("Microsoft's Graph mail slice", () => {
  it("imports whole: every operation a tool, Graph's base URL and OAuth scheme", () => {
    expect(mail.tools).toHaveLength(operationsKept({}).length);
    expect(mail.baseUrl).toBe("https://graph.microsoft.com/v1.0");
    expect(Object.values(mail.securitySchemes)).toContainEqual(expect.objectContaining({ type: "oauth2", authorizationUrl: expect.stringContaining("login.microsoftonline.com") }));
    for (const tool of mail.tools) new Validator(structuredClone(tool.inputSchema) as never, "2020-12", false);
  });

  it.each([
    ["messages and below", { include: ["/users/{id}/messages/**"] }],
    ["messages without counts and extensions", { include: ["/users/{id}/messages/**"], exclude: ["/**/$count", "/**/extensions/**"] }],
    ["mail folders one level down", { include: ["/users/{id}/mailFolders/*"] }],
    ["everything but message rules", { exclude: ["/**/messageRules/**"] }],
  ])("keeps exactly the operations on the kept paths: %s", (_case, filter) => {
    const slice = importOpenApi(document, filter);
    const expected = operationsKept(filter);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(mail.tools.length);
    expect(slice.tools.map((tool) => `${tool.invocation.method} ${tool.invocation.path}`)).toEqual(expected);
    // Names come from tags and operationIds, so a slice names its tools as the whole does.
    const whole = new Map(mail.tools.map((tool) => [`${tool.invocation.method} ${tool.invocation.path}`, tool.name]));
    expect(slice.tools.every((tool) => whole.get(`${tool.invocation.method} ${tool.invocation.path}`) === tool.name)).toBe(true);
  });

  it.each([
    ["GET", "/users/{user-id}/messages", "usersMessage.userListMessage", "allow"],
    ["POST", "/users/{user-id}/messages", "usersMessage.userCreateMessage", "approve"],
    ["GET", "/users/{user-id}/messages/{message-id}", "usersMessage.userGetMessage", "allow"],
    ["PATCH", "/users/{user-id}/messages/{message-id}", "usersMessage.userUpdateMessage", "approve"],
    ["GET", "/users/{user-id}/mailFolders", "usersMailFolder.userListMailFolder", "allow"],
  ])("names %s %s %s (tag + operationId, as the importer names every spec)", (method, path, name, policy) => {
    expect(mail.tools.find((tool) => tool.invocation.method === method && tool.invocation.path === path)).toMatchObject({ name, defaultPolicy: policy });
  });

  it("builds Graph's OData list request and a JSON update", () => {
    const list = mail.tools.find((tool) => tool.name === "usersMessage.userListMessage")!;
    const args = { "user-id": "ana@contoso.com", $top: 10, $select: ["subject", "from"], $filter: "isRead eq false", $orderby: ["receivedDateTime desc"] };
    expect(new Validator(structuredClone(list.inputSchema) as never, "2020-12", false).validate(args).valid).toBe(true);
    expect(buildRequest(list.invocation, mail.baseUrl!, args)).toEqual({
      method: "GET",
      url: "https://graph.microsoft.com/v1.0/users/ana%40contoso.com/messages?%24top=10&%24filter=isRead%20eq%20false&%24orderby=receivedDateTime%20desc&%24select=subject,from",
      headers: {},
    });
    const update = mail.tools.find((tool) => tool.name === "usersMessage.userUpdateMessage")!;
    expect(buildRequest(update.invocation, mail.baseUrl!, { "user-id": "u1", "message-id": "AAMk=", body: { isRead: true } })).toEqual({
      method: "PATCH",
      url: "https://graph.microsoft.com/v1.0/users/u1/messages/AAMk%3D",
      headers: { "content-type": "application/json" },
      body: '{"isRead":true}',
    });
  });
});
