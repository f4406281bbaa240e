/** search/terms.ts and search/equivalences.ts: how text becomes search terms, and which words stand for one another. */
import { describe, expect, it } from "vitest";
import { termsOf } from "../../worker/catalog";
import { conceptOf, equivalentsOf, EQUIVALENT_WORDS, intentsOf } from "../../worker/catalog/search/equivalences";
import { stem, wordsOf } from "../../worker/catalog/search/terms";

describe("termsOf", () => {
  it.each([
    ["camelCase and acronyms", "listForAuthenticatedUser getHTTPServer", ["list", "authent", "user", "get", "http", "server"]],
    ["snake_case, kebab-case and paths", "pull_number code-scanning /repos/{owner}", ["pull", "number", "code", "scan", "repositori", "owner"]],
    ["HTML tags and entities", "<p>Creates a <a href=\"/x\">customer</a>&nbsp;object.</p>", ["creat", "custom", "object"]],
    ["English stop words", "how do I get the list of all the issues for this repo", ["i", "get", "list", "all", "issu", "repositori"].flatMap((term) => (term === "i" ? ["authent", "user"] : [term]))],
    ["plurals and verb forms", "merges merged merging repositories", ["merg", "merg", "merg", "repositori"]],
    ["PR, repo and org spelled out", "PR PRs repo repos org", ["pull", "request", "pull", "request", "repositori", "repositori", "organ"]],
    ["an acronym's plural", "getURLsForIDs", ["get", "url", "id"]],
    ["me, my and I as the authenticated user", "me my", ["authent", "user", "authent", "user"]],
    ["re- joined to its verb", "re-run reRun rerun", ["rerun", "rerun", "rerun"]],
    ["nothing searchable", "the of a", []],
  ])("handles %s", (_case, text, expected) => {
    expect(termsOf(text)).toEqual(expected);
  });

  it("keeps `all`, `new` and `open`, which stand in for verbs", () => {
    expect(wordsOf("all new open")).toEqual(["all", "new", "open"]);
    expect(termsOf("all new open")).toEqual(["all", "new", "open"]);
  });

  it("stems with a cache that gives the same answer twice", () => {
    expect(stem("repositories")).toBe(stem("repository"));
    expect(stem("repositories")).toBe("repositori");
  });
});

describe("equivalences", () => {
  it.each([
    ["create", ["add", "new", "make", "open"]],
    ["delete", ["remove", "drop"]],
    ["get", ["read", "fetch", "show", "view", "download"]],
    ["list", ["all", "browse"]],
    ["update", ["edit", "change", "rename", "set"]],
    ["search", ["find", "query"]],
  ])("makes %s and %j interchangeable, both ways", (verb, others) => {
    for (const other of others) {
      expect(equivalentsOf(stem(verb))).toContain(stem(other));
      expect(equivalentsOf(stem(other))).toContain(stem(verb));
      expect(conceptOf(stem(other))).toBe(conceptOf(stem(verb)));
    }
  });

  it("has no word in two groups, and nothing for ordinary words", () => {
    const all = Object.values(EQUIVALENT_WORDS).flat();
    expect(new Set(all.map(stem)).size).toBe(all.length);
    expect(equivalentsOf(stem("label"))).toEqual([]);
    expect(conceptOf(stem("label"))).toBe(stem("label"));
  });

  it.each([
    ["create a label", ["create"]],
    ["remove a label from an issue", ["delete"]],
    ["who am I", ["get"]],
    ["how many stars does a repo have", ["list"]],
    ["get exchange rates", ["list"]],
    ["get a customer", ["get"]],
    ["import contacts", []],
    ["list all open issues", ["list", "create"]],
  ])("reads what %j asks to do", (query, expected) => {
    expect([...intentsOf(wordsOf(query))].sort()).toEqual([...expected].sort());
  });
});
