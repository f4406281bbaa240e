/**
 * import-openapi.ts against GitHub's real REST spec (@octokit/openapi, ~1,200 operations,
 * 13 MB): every operation becomes a tool with a unique, valid name and a schema the Worker's
 * validator compiles. Speed is measured outside the suite, not asserted here.
 */
import { Validator } from "@cfworker/json-schema";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { importOpenApi, type OpenApiImport, type OpenApiTool } from "../../../worker/sources/openapi";
import { MAX_TOOL_ROW_BYTES } from "../../../worker/sources/openapi/row-size";

const SPEC_PATH = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

let spec: { paths: Record<string, Record<string, unknown>> };
let github: OpenApiImport;

beforeAll(() => {
  spec = JSON.parse(readFileSync(SPEC_PATH, "utf8"));
  github = importOpenApi(spec);
});

function tool(name: string): OpenApiTool {
  const found = github.tools.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else if (key !== "enum" && key !== "default" && key !== "const") refsIn(value, found);
    }
  }
  return found;
}

describe("GitHub's REST spec", () => {
  it("makes a tool of (nearly) every operation", () => {
    const operations = Object.values(spec.paths).reduce((count, item) => count + METHODS.filter((method) => method in item).length, 0);
    expect(operations).toBeGreaterThan(1_000);
    expect(Math.abs(github.tools.length - operations) / operations).toBeLessThanOrEqual(0.02);
    expect(github.baseUrl).toBe("https://api.github.com");
  });

  it("gives every tool a unique name of identifier segments", () => {
    const names = github.tools.map((candidate) => candidate.name);
    expect(new Set(names).size).toBe(names.length);
    const invalid = names.filter((name) => !name.split(".").every((segment) => SEGMENT.test(segment)));
    expect(invalid).toEqual([]);
  });

  it("names issues.createComment after its tag and operationId, with path and body inputs", () => {
    const create = tool("issues.createComment");
    expect(Object.keys(create.inputSchema.properties as object)).toEqual(["owner", "repo", "issue_number", "body"]);
    expect(create.inputSchema.required).toEqual(["owner", "repo", "issue_number", "body"]);
    expect(create.defaultPolicy).toBe("approve");
    expect(create.invocation).toMatchObject({ method: "POST", path: "/repos/{owner}/{repo}/issues/{issue_number}/comments", body: { contentType: "application/json", required: true } });
    expect(create.outputSchema).toMatchObject({ $ref: "#/$defs/issue-comment" });
    expect(create.description.length).toBeLessThanOrEqual(401);
  });

  it("lets reads run by default", () => {
    const list = tool("issues.listForRepo");
    expect(list.defaultPolicy).toBe("allow");
    expect(list.invocation.method).toBe("GET");
  });

  it("keeps every tool within the storage row limit", () => {
    const oversized = github.tools.filter((candidate) => new TextEncoder().encode(JSON.stringify(candidate)).length > MAX_TOOL_ROW_BYTES);
    expect(oversized.map((candidate) => candidate.name)).toEqual([]);
  });

  it("makes every schema self-contained: each $ref names one of its own $defs", () => {
    const dangling: string[] = [];
    for (const candidate of github.tools) {
      for (const schema of [candidate.inputSchema, candidate.outputSchema]) {
        if (!schema) continue;
        const defs = (schema.$defs ?? {}) as Record<string, unknown>;
        for (const ref of refsIn(schema)) {
          if (!ref.startsWith("#/$defs/") || !Object.hasOwn(defs, ref.slice("#/$defs/".length))) dangling.push(`${candidate.name}: ${ref}`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });

  it("produces input and output schemas the Worker's validator compiles and applies", () => {
    for (const candidate of github.tools) {
      // structuredClone: the validator annotates the schema objects it is given, and tools share their $defs.
      const input = new Validator(structuredClone(candidate.inputSchema) as never, "2020-12", false);
      expect(input.validate({ __not_a_parameter__: 1 }).valid, candidate.name).toBe(false);
      if (candidate.outputSchema) new Validator(structuredClone(candidate.outputSchema) as never, "2020-12", false);
    }
    const create = new Validator(structuredClone(tool("issues.createComment").inputSchema) as never, "2020-12", false);
    expect(create.validate({ owner: "octocat", repo: "hello", issue_number: 1, body: { body: "Me too" } }).valid).toBe(true);
    expect(create.validate({ owner: "octocat", repo: "hello", issue_number: "one", body: { body: "Me too" } }).valid).toBe(false);
  });
});
