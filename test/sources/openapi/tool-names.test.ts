/** tool-names.ts: readable, valid, collision-free tool names. */
import { describe, expect, it } from "vitest";
import { camelCase, nameTools, NAME_SEGMENT, type NameSource } from "../../../worker/sources/openapi/tool-names";

describe("nameTools", () => {
  it.each([
    ["a GitHub operationId under its tag", { tags: ["issues"], operationId: "issues/create-comment" }, "issues.createComment"],
    ["a kebab-case tag", { tags: ["pull-requests"], operationId: "pulls/list" }, "pullRequests.pullsList"],
    ["an operationId with a tag prefix", { tags: ["code-scanning"], operationId: "code-scanning/list-alerts" }, "codeScanning.listAlerts"],
    ["a camelCase operationId", { tags: ["pets"], operationId: "listPets" }, "pets.listPets"],
    ["an operationId starting with an acronym", { operationId: "HTTPGetStatus" }, "httpGetStatus"],
    ["a snake_case operationId", { operationId: "list_all_pets" }, "listAllPets"],
    ["no operationId", { method: "get", path: "/users/{id}/repos" }, "getUsersIdRepos"],
    ["no usable operationId", { operationId: "—", method: "post", path: "/" }, "post"],
    ["a leading digit", { tags: ["2fa"], operationId: "3d-render" }, "_2fa._3dRender"],
    ["a name the sandbox could not reach", { operationId: "then" }, "_then"],
  ])("names %s", (_case, source, expected) => {
    expect(nameTools([{ method: "get", path: "/x", ...source } as NameSource])).toEqual([expected]);
  });

  it("suffixes collisions in operation order, skipping names the spec uses itself", () => {
    const sources: NameSource[] = [
      { method: "get", path: "/a", tags: ["t"], operationId: "list" },
      { method: "get", path: "/b", tags: ["t"], operationId: "list" },
      { method: "get", path: "/c", tags: ["t"], operationId: "list2" },
      { method: "get", path: "/d", tags: ["t"], operationId: "list-" },
    ];
    const names = nameTools(sources);
    expect(names).toEqual(["t.list", "t.list3", "t.list2", "t.list4"]);
    expect(nameTools(sources)).toEqual(names);
    expect(names.every((name) => name.split(".").every((segment) => NAME_SEGMENT.test(segment)))).toBe(true);
  });

  it.each([
    ["create-comment", "createComment"],
    ["GET /pets", "getPets"],
    ["URL", "url"],
    ["already camelCase", "alreadyCamelCase"],
  ])("camelCases %s", (text, expected) => {
    expect(camelCase(text)).toBe(expected);
  });
});
