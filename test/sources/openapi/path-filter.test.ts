/** path-filter.ts: include / exclude globs on path templates, and importOpenApi applying them first. */
import { describe, expect, it } from "vitest";
import { compilePathFilter, importOpenApi, PathFilterError, SpecError, type PathFilter } from "../../../worker/sources/openapi";
import { MAX_GLOBS } from "../../../worker/sources/openapi/path-filter";

const PATHS = [
  "/",
  "/me",
  "/me/messages",
  "/me/messages/{message-id}",
  "/me/messages/{message-id}/attachments",
  "/me/messagesDelta",
  "/me/events",
  "/me/drive/root/children",
  "/users",
  "/users/{user-id}",
  "/users/{user-id}/events",
  "/users/{user-id}/events/{event-id}",
  "/chats/{chat-id}/messages",
];

function kept(filter: PathFilter): string[] {
  const keeps = compilePathFilter(filter);
  return PATHS.filter((path) => keeps(path));
}

describe("compilePathFilter", () => {
  it.each([
    ["no globs: everything", {}, PATHS],
    ["an empty include: everything", { include: [] }, PATHS],
    ["an exact path", { include: ["/me/messages"] }, ["/me/messages"]],
    ["* inside one segment", { include: ["/me/messages*"] }, ["/me/messages", "/me/messagesDelta"]],
    ["* as a whole segment", { include: ["/me/*"] }, ["/me/messages", "/me/messagesDelta", "/me/events"]],
    ["** at the end, the prefix itself included", { include: ["/me/messages/**"] }, ["/me/messages", "/me/messages/{message-id}", "/me/messages/{message-id}/attachments"]],
    ["** in the middle", { include: ["/**/events"] }, ["/me/events", "/users/{user-id}/events"]],
    ["a placeholder matching any placeholder name", { include: ["/users/{id}/events/**"] }, ["/users/{user-id}/events", "/users/{user-id}/events/{event-id}"]],
    ["a placeholder not matching literal text", { include: ["/{x}/messages"] }, []],
    ["several includes", { include: ["/users", "/chats/**"] }, ["/users", "/chats/{chat-id}/messages"]],
    ["exclude on its own", { exclude: ["/me/**", "/users/**"] }, ["/", "/chats/{chat-id}/messages"]],
    ["exclude winning over include", { include: ["/me/**"], exclude: ["/me/drive/**", "/me/messages/{id}/**"] }, ["/me", "/me/messages", "/me/messagesDelta", "/me/events"]],
    ["the root path", { include: ["/"] }, ["/"]],
    ["case-sensitively", { include: ["/ME/**"] }, []],
    ["**/** like **", { include: ["/me/**/**"] }, PATHS.filter((path) => path.startsWith("/me"))],
  ])("keeps %s", (_case, filter, expected) => {
    expect(kept(filter)).toEqual(expected);
  });

  it.each([
    ["no leading slash", { include: ["me/messages"] }, "include", "me/messages"],
    ["** inside a segment", { exclude: ["/me/mess**"] }, "exclude", "/me/mess**"],
    ["an empty segment", { include: ["/me//messages"] }, "include", "/me//messages"],
    ["a trailing slash", { include: ["/me/"] }, "include", "/me/"],
    ["a non-string", { include: [42] as unknown as string[] }, "include", "42"],
    ["a non-list", { include: "/me/**" as unknown as string[] }, "include", "/me/**"],
    ["too long a glob", { include: [`/${"a".repeat(600)}`] }, "include", `/${"a".repeat(99)}`],
    ["too many globs", { include: Array.from({ length: MAX_GLOBS + 1 }, (_, index) => `/p${index}`) }, "include", "/p0"],
  ])("refuses %s, naming the glob", (_case, filter, field, glob) => {
    let error: unknown;
    try {
      compilePathFilter(filter);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PathFilterError);
    expect(error).toBeInstanceOf(SpecError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message).toContain(glob);
  });

  it("answers globs full of ** and * that a backtracking matcher would never finish", () => {
    const keeps = compilePathFilter({ include: [`/${"**/".repeat(40)}x`, `/${"*a".repeat(60)}b`] });
    expect(keeps(`/${"a/".repeat(200)}y`)).toBe(false);
    expect(keeps(`/${"a".repeat(400)}`)).toBe(false);
    expect(keeps(`/${"a/".repeat(200)}x`)).toBe(true);
    expect(keeps(`/${"a".repeat(400)}b`)).toBe(true);
  });
});

describe("importOpenApi with include / exclude", () => {
  const spec = {
    openapi: "3.0.3",
    info: { title: "Mail", version: "1" },
    servers: [{ url: "https://graph.example.com/v1.0" }],
    paths: {
      "/me/messages": { get: { operationId: "listMessages", responses: {} }, post: { operationId: "createMessage", responses: {} } },
      "/me/messages/{id}": { get: { operationId: "getMessage", responses: {} }, delete: { operationId: "deleteMessage", responses: {} } },
      "/me/events": { get: { operationId: "listEvents", responses: {} } },
      "/users": { get: { operationId: "listUsers", responses: {} } },
    },
  };

  it("converts only the operations on kept paths", () => {
    const names = (filter: PathFilter) => importOpenApi(spec, filter).tools.map((tool) => tool.name);
    expect(names({ include: ["/me/messages/**"] })).toEqual(["listMessages", "createMessage", "getMessage", "deleteMessage"]);
    expect(names({ include: ["/me/**"], exclude: ["/me/messages/{id}"] })).toEqual(["listMessages", "createMessage", "listEvents"]);
    expect(names({})).toHaveLength(6);
  });

  it("filters a Swagger 2.0 spec before converting it", () => {
    const swagger = { swagger: "2.0", info: { title: "S", version: "1" }, host: "api.example.com", paths: { "/a": { get: { operationId: "a", responses: {} } }, "/b": { get: { operationId: "b", responses: {} } } } };
    expect(importOpenApi(swagger, { exclude: ["/a"] }).tools.map((tool) => tool.name)).toEqual(["b"]);
  });

  it("says when the globs keep nothing, and refuses a bad glob even before reading paths", () => {
    expect(() => importOpenApi(spec, { include: ["/nothing/**"] })).toThrow(/include \/ exclude globs keep/);
    expect(() => importOpenApi({ ...spec, paths: undefined }, { include: ["me"] })).toThrow(PathFilterError);
  });

  it("leaves the document it was given unchanged", () => {
    const copy = structuredClone(spec);
    importOpenApi(spec, { include: ["/users"] });
    expect(spec).toEqual(copy);
  });
});
