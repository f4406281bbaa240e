/** The console's route table: pure, so a table of pathname → view. */
import { describe, expect, it } from "vitest";
import { matchView, NAV } from "../../worker/console/views";

describe("matchView", () => {
  it.each([
    ["/", { view: "connect", params: {} }],
    ["/integrations", { view: "integrations", params: {} }],
    ["/integrations/items_api", { view: "integration", params: { slug: "items_api" } }],
    ["/integrations/a%20b", { view: "integration", params: { slug: "a b" } }],
    ["/presets", { view: "presets", params: {} }],
    ["/oauth-apps", { view: "oauth-apps", params: {} }],
    ["/tools", { view: "tools", params: {} }],
    ["/toolkits", { view: "toolkits", params: {} }],
    ["/policies", { view: "policies", params: {} }],
    ["/executions", { view: "executions", params: {} }],
    ["/executions/exec_123", { view: "execution", params: { id: "exec_123" } }],
    ["/settings", { view: "settings", params: {} }],
  ])("%s is a view", (pathname, expected) => {
    expect(matchView(pathname)).toEqual(expected);
  });

  it.each([
    ["an asset", "/console.js"],
    ["a trailing slash", "/tools/"],
    ["a deeper path", "/integrations/a/b"],
    ["an empty segment", "/executions/"],
    ["a malformed escape", "/integrations/a%ZZ"],
    ["an unknown page", "/no/such/page"],
  ])("%s is not a view (%s)", (_name, pathname) => {
    expect(matchView(pathname)).toBeNull();
  });

  it("every nav link is a view it stands for", () => {
    for (const { href, views } of NAV) expect(views).toContain(matchView(href)?.view);
  });
});
