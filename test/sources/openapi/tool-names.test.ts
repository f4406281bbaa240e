/** tool-names.ts: readable, guessable, valid, collision-free and stable tool names. */
import { describe, expect, it } from "vitest";
import { importOpenApi } from "../../../worker/sources/openapi";
import { camelCase, nameTools, NAME_SEGMENT, operationKey, type NameSource } from "../../../worker/sources/openapi/tool-names";

describe("nameTools", () => {
  it.each([
    ["a GitHub operationId under its tag", { tags: ["issues"], operationId: "issues/create-comment" }, "issues.createComment"],
    ["a kebab-case tag that the operationId does not spell", { tags: ["pull-requests"], operationId: "pulls/list" }, "pullRequests.pullsList"],
    ["an operationId with a kebab-case tag prefix", { tags: ["code-scanning"], operationId: "code-scanning/list-alerts" }, "codeScanning.listAlerts"],
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

  it.each([
    ["tag_x", "chat", "chat_postMessage", "chat.postMessage"],
    ["tag.x", "chat", "chat.postMessage", "chat.postMessage"],
    ["tagX", "chat", "chatPostMessage", "chat.postMessage"],
    ["tag/x", "chat", "chat/postMessage", "chat.postMessage"],
    ["tag-x", "chat", "chat-post-message", "chat.postMessage"],
    ["TagX", "Chat", "ChatPostMessage", "chat.postMessage"],
    ["a multi-word tag", "Pull Requests", "pull_requests_list", "pullRequests.list"],
    ["a tag that is one word of the operationId", "OAuth", "oauth-list-grants", "oAuth.listGrants"],
    ["an acronym tag", "DNS", "DNSListRecords", "dns.listRecords"],
  ])("strips the tag in the form %s", (_form, tag, operationId, expected) => {
    expect(nameTools([{ method: "get", path: "/x", tags: [tag], operationId }])).toEqual([expected]);
  });

  it.each([
    ["a tag that only starts a word", "chat", "chatter_list", "chat.chatterList"],
    ["the tag alone", "chat", "chat", "chat.chat"],
    ["the tag and punctuation alone", "chat", "chat_", "chat.chat"],
    ["a digit after the tag", "v", "v2_list", "v.v2List"],
    ["a plural the tag does not spell", "pet", "pets_list", "pet.petsList"],
  ])("keeps the operationId whole for %s", (_case, tag, operationId, expected) => {
    expect(nameTools([{ method: "get", path: "/x", tags: [tag], operationId }])).toEqual([expected]);
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

  it("suffixes names that only collide once the tag is stripped", () => {
    const sources: NameSource[] = [
      { method: "get", path: "/a", tags: ["chat"], operationId: "chat_list" },
      { method: "get", path: "/b", tags: ["chat"], operationId: "list" },
    ];
    expect(nameTools(sources)).toEqual(["chat.list", "chat.list2"]);
  });
});

describe("nameTools across a refresh", () => {
  const postMessage: NameSource = { method: "post", path: "/chat.postMessage", tags: ["chat"], operationId: "chat_postMessage" };
  const list = (path: string): NameSource => ({ method: "get", path, tags: ["t"], operationId: "list" });

  it("keeps a name given before tags were stripped", () => {
    const previous = new Map([[operationKey("POST", "/chat.postMessage"), "chat.chatPostMessage"]]);
    expect(nameTools([postMessage], previous)).toEqual(["chat.chatPostMessage"]);
    expect(nameTools([postMessage])).toEqual(["chat.postMessage"]);
  });

  it("keeps suffixed names when the spec adds a colliding operation in front", () => {
    const before = nameTools([list("/a"), list("/b")]);
    expect(before).toEqual(["t.list", "t.list2"]);
    const previous = new Map([
      [operationKey("get", "/a"), before[0]],
      [operationKey("get", "/b"), before[1]],
    ]);
    expect(nameTools([list("/new"), list("/a"), list("/b")], previous)).toEqual(["t.list3", "t.list", "t.list2"]);
    expect(nameTools([list("/new"), list("/a"), list("/b")])).toEqual(["t.list", "t.list2", "t.list3"]);
  });

  it.each([
    ["its operationId changed", { ...postMessage, operationId: "chat_sendMessage" }, "chat.sendMessage"],
    ["its tag changed", { ...postMessage, tags: ["messages"] }, "messages.chatPostMessage"],
  ])("renames an operation when %s", (_case, source, expected) => {
    const previous = new Map([[operationKey("POST", "/chat.postMessage"), "chat.postMessage"]]);
    expect(nameTools([source], previous)).toEqual([expected]);
  });

  it.each([
    ["not a valid name", "chat.post-message"],
    ["another operation's name", "chat.delete"],
    ["a name with a non-numeric suffix", "chat.postMessageX"],
  ])("ignores a previous name that is %s", (_case, old) => {
    const previous = new Map([[operationKey("POST", "/chat.postMessage"), old]]);
    expect(nameTools([postMessage], previous)).toEqual(["chat.postMessage"]);
  });

  it("gives a kept name to one operation only", () => {
    const previous = new Map([
      [operationKey("get", "/a"), "t.list"],
      [operationKey("get", "/b"), "t.list"],
    ]);
    expect(nameTools([list("/a"), list("/b")], previous)).toEqual(["t.list", "t.list2"]);
  });
});

describe("importOpenApi's previousTools", () => {
  const spec = {
    openapi: "3.0.3",
    info: { title: "Chat", version: "1" },
    servers: [{ url: "https://chat.example.com" }],
    paths: {
      "/chat.postMessage": { post: { operationId: "chat_postMessage", tags: ["chat"], responses: { "200": { description: "ok" } } } },
      "/chat.delete": { post: { operationId: "chat_delete", tags: ["chat"], responses: { "200": { description: "ok" } } } },
    },
  };

  it("keeps the stored names that still fit and names the rest afresh", () => {
    const previousTools = [
      { name: "chat.chatPostMessage", invocation: { method: "POST", path: "/chat.postMessage", parameters: [] } },
      { name: "chat.somethingElse", invocation: { method: "POST", path: "/chat.delete" } },
      { name: "chat.ignored", invocation: "not an OpenAPI invocation" },
    ];
    expect(importOpenApi(spec, { previousTools }).tools.map((tool) => tool.name)).toEqual(["chat.chatPostMessage", "chat.delete"]);
    expect(importOpenApi(spec).tools.map((tool) => tool.name)).toEqual(["chat.postMessage", "chat.delete"]);
  });
});

describe("camelCase", () => {
  it.each([
    ["create-comment", "createComment"],
    ["GET /pets", "getPets"],
    ["URL", "url"],
    ["already camelCase", "alreadyCamelCase"],
  ])("camelCases %s", (text, expected) => {
    expect(camelCase(text)).toBe(expected);
  });
});
