/** What a notification says about a call's arguments: pure, a table of arguments → summary. */
import { describe, expect, it } from "vitest";
import { summarizeArguments } from "../../worker/notifications";

const TOKEN = "ghp_0123456789abcdefghij";

describe("summarizeArguments", () => {
  it.each([
    ["strings as they are", { owner: "acme", repo: "app" }, [], { owner: "acme", repo: "app" }],
    ["other values as JSON", { issue_number: 1, draft: false, labels: ["a", "b"], body: { text: "hi" } }, [], { issue_number: "1", draft: "false", labels: '["a","b"]', body: '{"text":"hi"}' }],
    ["long values cut to 80 characters", { body: "x".repeat(200) }, [], { body: `${"x".repeat(79)}…` }],
    ["credential-named keys redacted at any depth", { password: "hunter2", body: { api_key: "k", Authorization: "Bearer x", name: "n" } }, [], { password: "[redacted]", body: '{"api_key":"[redacted]","Authorization":"[redacted]","name":"n"}' }],
    ["the connection's secrets redacted wherever they appear", { note: `use ${TOKEN} please` }, [TOKEN], { note: "use [redacted] please" }],
    ["a secret past the cut is redacted before cutting", { note: `${"y".repeat(70)}${TOKEN}` }, [TOKEN], { note: `${"y".repeat(70)}[redacted]` }],
    ["not an object", "just text", [], { arguments: "just text" }],
  ])("%s", (_name, args, secrets, expected) => {
    expect(summarizeArguments(args, secrets)).toEqual(expected);
  });

  it.each([
    ["password", true],
    ["client_secret", true],
    ["accessToken", true],
    ["X-Api-Key", true],
    ["Authorization", true],
    ["session_cookie", true],
    ["credentials", true],
    ["key", true],
    ["author", false],
    ["tokens_used", false],
    ["keyword", false],
    ["title", false],
  ])("the key %s names a credential: %s", (key, redacted) => {
    expect(summarizeArguments({ [key]: "value" }, [])[key]).toBe(redacted ? "[redacted]" : "value");
  });

  it("keeps the first 10 keys and counts the rest", () => {
    const args = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`k${i}`, i]));
    const summary = summarizeArguments(args, []);
    expect(Object.keys(summary)).toEqual([...Array.from({ length: 10 }, (_, i) => `k${i}`), "…"]);
    expect(summary["…"]).toBe("3 more");
  });

  it("no prefix of a secret survives the cut", () => {
    const summary = summarizeArguments({ note: `${"z".repeat(75)}${TOKEN}` }, [TOKEN]);
    expect(summary.note).not.toContain(TOKEN.slice(0, 4));
  });
});
