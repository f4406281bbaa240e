/**
 * search/ranker.ts (with search-index.ts, query.ts, candidates.ts and fit.ts): ranking,
 * filters, paging and listing over small catalogs made for the case, and the size of an
 * answer over real ones. The ranking's quality is measured in search-eval.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildSearchIndex, search, searchDocumentOf, type SearchDocument, type SearchIndex } from "../../worker/catalog";
import { parseQuery } from "../../worker/catalog/search/query";
import { loadEvalSuites, type EvalSuite } from "./search-eval/run-eval";

/** A tool as an OpenAPI import would store it. */
function tool(address: string, method: string, path: string, description: string, required: string[] = []): SearchDocument {
  const properties = Object.fromEntries(required.map((name) => [name, { type: "string" }]));
  return searchDocumentOf({ address, integration: address.split(".")[0]!, description, inputSchema: { type: "object", properties, required }, invocation: { method, path, parameters: [] } });
}

const TOOLS = [
  tool("demo.issues.create", "POST", "/issues", "Create an issue.", ["title"]),
  tool("demo.projects.create", "POST", "/projects", "Create a project.", ["name"]),
  tool("demo.issues.list", "GET", "/issues", "List issues."),
  tool("demo.issues.get", "GET", "/issues/{number}", "Get an issue.", ["number"]),
  tool("demo.issues.update", "PATCH", "/issues/{number}", "Update an issue.", ["number"]),
  tool("demo.issues.delete", "DELETE", "/issues/{number}", "Delete an issue.", ["number"]),
  tool("demo.issues.search", "GET", "/search/issues", "Search issues by keyword.", ["q"]),
  tool("demo.labels.addToIssue", "POST", "/issues/{number}/labels", "Add labels to an issue.", ["number"]),
  tool("demo.users.getAuthenticated", "GET", "/user", "Get the authenticated user."),
  tool("demo.users.getByName", "GET", "/users/{name}", "Get a user.", ["name"]),
  tool("demo.repos.listForAuthenticatedUser", "GET", "/user/repos", "List repositories for the authenticated user."),
  tool("demo.pulls.merge", "PUT", "/pulls/{number}/merge", "Merge a pull request.", ["number"]),
  tool("demo.settings.getConfiguration", "GET", "/configuration", "Get the configuration."),
  tool("mail.messages.send", "POST", "/messages", "Send an email message.", ["to"]),
  tool("mail.messages.list", "GET", "/messages", "List sent messages."),
];

let index: SearchIndex;

beforeAll(() => {
  index = buildSearchIndex(TOOLS);
});

const first = (query: string, options = {}) => search(index, query, options).hits[0]?.address;

describe("search", () => {
  it.each([
    ["add a project", "demo.projects.create"],
    ["open a new issue", "demo.issues.create"],
    ["make a project", "demo.projects.create"],
    ["remove an issue", "demo.issues.delete"],
    ["drop an issue", "demo.issues.delete"],
    ["show an issue", "demo.issues.get"],
    ["fetch an issue", "demo.issues.get"],
    ["browse issues", "demo.issues.list"],
    ["list all issues", "demo.issues.list"],
    ["edit an issue", "demo.issues.update"],
    ["change an issue", "demo.issues.update"],
    ["find issues", "demo.issues.search"],
    ["add labels to an issue", "demo.labels.addToIssue"],
    ["who am I", "demo.users.getAuthenticated"],
    ["list my repos", "demo.repos.listForAuthenticatedUser"],
    ["merge a PR", "demo.pulls.merge"],
    ["config", "demo.settings.getConfiguration"],
  ])("answers %j with %s first", (query, address) => {
    expect(first(query)).toBe(address);
  });

  it("keeps to one integration when asked, and knows no other", () => {
    const { hits, total } = search(index, "list", { integration: "mail" });
    expect(hits.map((hit) => hit.address)).toEqual(["mail.messages.list"]);
    expect(total).toBe(1);
    expect(search(index, "list", { integration: "nope" })).toEqual({ hits: [], total: 0 });
  });

  it("leaves out and does not count what `include` refuses, asking once per matching tool", () => {
    const asked: string[] = [];
    const all = search(index, "issue");
    const { hits, total } = search(index, "issue", { include: (hit) => (asked.push(hit.address), hit.address !== "demo.issues.create") });
    expect(hits.map((hit) => hit.address)).toEqual(all.hits.map((hit) => hit.address).filter((address) => address !== "demo.issues.create"));
    expect(total).toBe(all.total - 1);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).not.toContain("mail.messages.send");
  });

  it("pages through the same order", () => {
    const all = search(index, "issue").hits.map((hit) => hit.address);
    expect(all.length).toBeGreaterThan(4);
    const pages = Array.from({ length: Math.ceil(all.length / 2) + 1 }, (_, page) => search(index, "issue", { offset: page * 2, limit: 2 }).hits.map((hit) => hit.address));
    expect(pages.flat()).toEqual(all);
    expect(pages.at(-1)).toEqual([]);
    expect(search(index, "issue", { offset: 2, limit: 2 }).total).toBe(all.length);
  });

  it.each(["", "   ", "the of a"])("lists every tool in address order for %j", (query) => {
    const { hits, total } = search(index, query, { offset: 1, limit: 3 });
    const sorted = TOOLS.map((document) => document.address).sort();
    expect(hits.map((hit) => hit.address)).toEqual(sorted.slice(1, 4));
    expect(total).toBe(TOOLS.length);
    expect(search(index, query, { integration: "mail" }).hits.map((hit) => hit.address)).toEqual(["mail.messages.list", "mail.messages.send"]);
  });

  it("finds nothing for words no tool has", () => {
    expect(search(index, "zebra quantum")).toEqual({ hits: [], total: 0 });
  });

  it("answers the same query the same way every time, whatever ran in between", () => {
    const before = search(index, "update an issue");
    search(index, "send email", { integration: "mail" });
    search(index, "issues", { include: () => false });
    expect(search(index, "update an issue")).toEqual(before);
  });

  it("survives a filter that searches the same index", () => {
    const inner: string[] = [];
    const { hits } = search(index, "issue", { include: (hit) => (inner.push(first("send email") ?? ""), hit.address.startsWith("demo.issues.")) });
    expect(hits.every((hit) => hit.address.startsWith("demo.issues."))).toBe(true);
    expect(new Set(inner)).toEqual(new Set(["mail.messages.send"]));
    expect(first("update an issue")).toBe("demo.issues.update");
  });

  it("carries the summary and the hint of each tool", () => {
    expect(search(index, "add labels to an issue").hits[0]).toEqual({ address: "demo.labels.addToIssue", integration: "demo", summary: "Add labels to an issue.", hint: "number" });
  });

  it("indexes an empty catalog", () => {
    expect(search(buildSearchIndex([]), "anything")).toEqual({ hits: [], total: 0 });
  });
});

describe("words an agent uses that the API spells otherwise", () => {
  const stateful = (address: string, method: string, path: string, description: string) =>
    searchDocumentOf({ address, integration: "demo", description, inputSchema: { type: "object", properties: { state: { type: "string", enum: ["open", "closed"] } } }, invocation: { method, path, parameters: [] } });
  const WORDS = buildSearchIndex([
    tool("demo.issues.addAssignees", "POST", "/issues/{number}/assignees", "Add assignees to an issue.", ["number"]),
    tool("demo.issues.removeAssignees", "DELETE", "/issues/{number}/assignees", "Remove assignees from an issue.", ["number"]),
    tool("demo.issues.checkUserCanBeAssigned", "GET", "/assignees/{user}", "Check if a user can be assigned.", ["user"]),
    tool("demo.issues.lock", "PUT", "/issues/{number}/lock", "Lock an issue.", ["number"]),
    tool("demo.issues.unlock", "DELETE", "/issues/{number}/lock", "Unlock an issue.", ["number"]),
    tool("demo.labels.set", "PUT", "/issues/{number}/labels", "Set labels for an issue.", ["number"]),
    tool("demo.labels.list", "GET", "/issues/{number}/labels", "List labels for an issue.", ["number"]),
    tool("demo.issues.create", "POST", "/issues", "Create an issue.", ["title"]),
    stateful("demo.issues.list", "GET", "/issues", "List issues."),
    tool("demo.messages.list", "GET", "/messages", "List chat messages, and mail ones."),
    tool("mail.messages.list", "GET", "/messages", "List messages."),
    tool("demo.notifications.list", "GET", "/notifications", "List notifications."),
    tool("demo.notifications.markRead", "PUT", "/notifications", "Mark notifications as read."),
  ]);
  const top = (query: string) => search(WORDS, query).hits[0]?.address;

  it("reads `unX` as removing X when the API has no word `unX`, and keeps a word it has", () => {
    expect(top("unassign a user from an issue")).toBe("demo.issues.removeAssignees");
    expect(top("unlock an issue")).toBe("demo.issues.unlock");
    expect([...parseQuery(WORDS, "unassign a user from an issue").intents]).toEqual(["delete"]);
    // Beside another verb, `unread` describes: nothing is removed.
    expect(top("list unread notifications")).toBe("demo.notifications.list");
    expect([...parseQuery(WORDS, "list unread notifications").intents]).toEqual(["list"]);
  });

  it("finds the one a verb is done to (assignee) from the verb, and a user from `someone`", () => {
    expect(search(WORDS, "assign").hits.map((hit) => hit.address).sort()).toEqual(["demo.issues.addAssignees", "demo.issues.checkUserCanBeAssigned", "demo.issues.removeAssignees"]);
    expect(search(WORDS, "someone").hits.map((hit) => hit.address)).toEqual(["demo.issues.checkUserCanBeAssigned"]);
  });

  it("reads `all`, `open` and `new` beside another verb as describing the thing, not as a verb", () => {
    expect(top("replace all labels on an issue")).toBe("demo.labels.set");
    expect(top("list open issues")).toBe("demo.issues.list");
    expect(top("open an issue")).toBe("demo.issues.create");
  });

  it("takes an integration's name in the query as where to look, not as a word to match", () => {
    const result = search(WORDS, "list messages in mail");
    expect(result.hits.map((hit) => hit.address)).toEqual(["mail.messages.list"]);
    expect(search(WORDS, "list messages in mail", { integration: "demo" }).hits[0]?.address).toBe("demo.messages.list");
    // The name alone lists that integration's tools.
    expect(search(WORDS, "mail").hits.map((hit) => hit.address)).toEqual(["mail.messages.list"]);
  });
});

describe("search over real specs", () => {
  let suites: EvalSuite[];
  let github: SearchIndex;

  beforeAll(() => {
    suites = loadEvalSuites();
    github = buildSearchIndex(suites.find((suite) => suite.integration === "github")!.documents);
  });

  it.each([
    ["merge a pull request", "github.pulls.merge"],
    ["re-run the failed jobs of a workflow run", "github.actions.reRunWorkflowFailedJobs"],
    ["how much API rate limit is left", "github.rateLimit.get"],
  ])("answers the issue's example %j with %s first", (query, address) => {
    expect(search(github, query, { limit: 3 }).hits[0]?.address).toBe(address);
  });

  it("keeps every 3-result answer under 1.5 KB", () => {
    const combined = buildSearchIndex(suites.flatMap((suite) => suite.documents));
    for (const suite of suites) {
      for (const [query] of [...suite.cases.tune, ...suite.cases.holdout]) {
        const { hits, total } = search(combined, query, { limit: 3 });
        const answer = { items: hits.map((hit) => ({ address: hit.address, description: hit.summary, hint: hit.hint, requiresApproval: true })), total, nextOffset: 3 };
        expect(new TextEncoder().encode(JSON.stringify(answer)).length, query).toBeLessThan(1500);
      }
    }
  });
});

describe("a query as untrusted input", () => {
  it("reads a bounded part of a very long query and still answers", () => {
    const index = buildSearchIndex(TOOLS);
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    expect(search(index, `merge a pull request ${words}`).hits[0]?.address).toBe("demo.pulls.merge");
    expect(search(index, `${"x".repeat(100_000)} merge`)).toEqual({ hits: [], total: 0 });
  });
});
