/** search/document.ts: what search keeps of a stored tool, whatever its source. */
import { describe, expect, it } from "vitest";
import { HINT_MAX_CHARS, searchDocumentOf, SUMMARY_MAX_CHARS, type SearchSource } from "../../worker/catalog";

const base: SearchSource = { address: "github.pulls.merge", integration: "github", description: "Merge a pull request. Merges a pull request into the base branch.", inputSchema: {}, invocation: null };

describe("searchDocumentOf", () => {
  it("splits the address into group and name, and the description into summary and rest", () => {
    expect(searchDocumentOf(base)).toMatchObject({
      address: "github.pulls.merge",
      integration: "github",
      group: "pulls",
      name: "merge",
      summary: "Merge a pull request.",
      description: "Merges a pull request into the base branch.",
    });
  });

  it.each([
    ["an OpenAPI operation", { method: "put", path: "/repos/{owner}/{repo}/pulls/{pull_number}/merge", parameters: [] }, "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"],
    ["a GraphQL field", { operation: "mutation", field: "mergePullRequest", document: "mutation {...}" }, "mutation mergePullRequest"],
    ["an MCP tool", { toolName: "merge_pull_request" }, "merge_pull_request"],
    ["an unknown shape", { something: "else" }, ""],
    ["no invocation", null, ""],
    ["a string", "GET /x", ""],
  ])("reads the route of %s", (_case, invocation, route) => {
    expect(searchDocumentOf({ ...base, invocation }).route).toBe(route);
  });

  it("makes plain one-line text of HTML and Markdown descriptions", () => {
    const document = searchDocumentOf({ ...base, description: '<p>Creates a <a href="/docs">customer</a>&nbsp;object.</p>\n<p>Then **more**.</p>' });
    expect(document.summary).toBe("Creates a customer object.");
    expect(document.description).toBe("Then more .");
  });

  it("cuts a long first sentence at a word and carries the rest into the description", () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const document = searchDocumentOf({ ...base, description: `${words}. Second.` });
    expect(document.summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(document.summary.endsWith("…")).toBe(true);
    expect(`${document.summary.slice(0, -1)} ${document.description}`.replace(/\s+/g, " ")).toBe(`${words}. Second.`);
  });

  it("indexes argument names, the body's properties and small enums", () => {
    const inputSchema = {
      type: "object",
      properties: {
        owner: { type: "string" },
        state: { type: "string", enum: ["open", "closed", "all"] },
        labels: { type: "array", items: { enum: ["bug", "docs"] } },
        big: { enum: Array.from({ length: 20 }, (_, i) => `v${i}`) },
        body: { $ref: "#/$defs/Body" },
      },
      required: ["owner", "body"],
      $defs: { Body: { type: "object", properties: { title: {}, head: {}, base: {} }, required: ["title"] } },
    };
    const document = searchDocumentOf({ ...base, inputSchema });
    expect(document.params.split(" ")).toEqual(["owner", "state", "labels", "big", "body", "title", "head", "base", "open", "closed", "all", "bug", "docs"]);
    expect(document.hint).toBe("owner, body: {title}; optional: state, labels, big");
  });

  it.each([
    ["no arguments", {}, ""],
    ["only optional ones", { properties: { per_page: {}, page: {} } }, "optional: per_page, page"],
    ["only required ones", { properties: { owner: {}, repo: {} }, required: ["owner", "repo"] }, "owner, repo"],
    ["a schema that is not an object", "nonsense", ""],
  ])("hints %s", (_case, inputSchema, hint) => {
    expect(searchDocumentOf({ ...base, inputSchema }).hint).toBe(hint);
  });

  it("cuts a long hint at an argument", () => {
    const properties = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`argument_${i}`, {}]));
    const hint = searchDocumentOf({ ...base, inputSchema: { properties, required: Object.keys(properties) } }).hint;
    expect(hint.length).toBeLessThanOrEqual(HINT_MAX_CHARS);
    expect(hint).toMatch(/^argument_0, argument_1, .*argument_\d+…$/);
  });

  it("is plain JSON that survives storage unchanged", () => {
    const document = searchDocumentOf({ ...base, invocation: { method: "PUT", path: "/x" }, inputSchema: { properties: { a: {} } } });
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });
});
