/**
 * Real-world specs through the Worker: GitHub's full REST spec (pasted, ~13 MB), the classic
 * Swagger 2.0 petstore, and a spec with a `$ref` cycle.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

const GITHUB_SPEC = resolve(import.meta.dirname, "../../node_modules/@octokit/openapi/generated/api.github.com.json");

function operationCount(spec: { paths: Record<string, Record<string, unknown>> }): number {
  const methods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
  return Object.values(spec.paths).reduce((sum, item) => sum + Object.keys(item).filter((key) => methods.has(key)).length, 0);
}

describe("real specs", () => {
  let worker: TestWorker;
  const addSpec = (body: Record<string, unknown>) =>
    worker.asUser("admin@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", ...body }) });

  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("imports GitHub's REST spec in one request: every operation a tool, search and describe work", async () => {
    const text = readFileSync(GITHUB_SPEC, "utf8");
    const operations = operationCount(JSON.parse(text));
    const response = await addSpec({ slug: "github", spec: text });
    expect(response.status, (await response.clone().text()).slice(0, 500)).toBe(201);
    const { toolCount } = (await response.json()) as { toolCount: number };
    expect(Math.abs(toolCount - operations) / operations).toBeLessThanOrEqual(0.02);

    const stored = await worker.db.prepare("SELECT count(*) AS n, count(DISTINCT address) AS distinct_n FROM tools WHERE integration = 'github'").first<{ n: number; distinct_n: number }>();
    expect(stored).toEqual({ n: toolCount, distinct_n: toolCount });

    const result = await execute(
      worker,
      `const found = await tools.search("create an issue comment", { integration: "github", limit: 3 });
       const described = await tools.describe("github.issues.createComment");
       return { top3: found.items.map(i => i.address), typescript: described.typescript, approval: found.items.find(i => i.address === "github.issues.createComment")?.requiresApproval }`,
    );
    const { top3, typescript, approval } = result.result as { top3: string[]; typescript: string; approval: boolean };
    expect(top3).toContain("github.issues.createComment");
    expect(approval).toBe(true);
    expect(typescript).toMatch(/^\(args: \{/);
    expect(typescript).toContain("owner: string");
    expect(typescript).toContain("issue_number: number");
    expect(typescript).toContain("body:");
  }, 120_000);

  it("imports a Swagger 2.0 spec (the classic petstore)", async () => {
    const swagger = {
      swagger: "2.0",
      info: { title: "Swagger Petstore", version: "1.0.0" },
      host: "petstore.swagger.io",
      basePath: "/v2",
      schemes: ["https"],
      securityDefinitions: { api_key: { type: "apiKey", name: "api_key", in: "header" } },
      paths: {
        "/pet": {
          post: { tags: ["pet"], operationId: "addPet", consumes: ["application/json"], parameters: [{ in: "body", name: "body", required: true, schema: { $ref: "#/definitions/Pet" } }], responses: { "405": { description: "Invalid input" } } },
        },
        "/pet/{petId}": {
          get: { tags: ["pet"], operationId: "getPetById", produces: ["application/json"], parameters: [{ name: "petId", in: "path", required: true, type: "integer", format: "int64" }], responses: { "200": { description: "ok", schema: { $ref: "#/definitions/Pet" } } }, security: [{ api_key: [] }] },
          post: { tags: ["pet"], operationId: "updatePetWithForm", consumes: ["application/x-www-form-urlencoded"], parameters: [{ name: "petId", in: "path", required: true, type: "integer" }, { name: "name", in: "formData", type: "string" }], responses: { "405": { description: "Invalid input" } } },
        },
      },
      definitions: { Pet: { type: "object", required: ["name"], properties: { id: { type: "integer" }, name: { type: "string" }, tags: { type: "array", items: { $ref: "#/definitions/Tag" } } } }, Tag: { type: "object", properties: { name: { type: "string" } } } },
    };
    const response = await addSpec({ spec: swagger });
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await response.json()).toMatchObject({ slug: "swagger_petstore", toolCount: 3 });
    const tool = (await (await worker.asUser("admin@example.com", "/api/tools/swagger_petstore.pet.getPetById")).json()) as { typescript: string; defaultPolicy: string };
    expect(tool.defaultPolicy).toBe("allow");
    expect(tool.typescript).toContain("petId: number");
  });

  it("imports a spec with a $ref cycle, and validates arguments against it", async () => {
    const spec = {
      openapi: "3.1.0",
      info: { title: "Trees", version: "1" },
      servers: [{ url: "https://trees.example.com" }],
      paths: { "/trees": { post: { operationId: "plant", requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } } }, responses: { "200": { description: "ok" } } } } },
      components: { schemas: { Node: { type: "object", required: ["name"], properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } } } },
    };
    const response = await addSpec({ slug: "trees", spec: JSON.stringify(spec) });
    expect(response.status, await response.clone().text()).toBe(201);
    const result = await execute(worker, `try { await tools.trees.plant({ body: { name: "root", children: [{ name: 1 }] } }) } catch (e) { return e.code }`);
    expect(result.result).toBe("invalid_arguments");
  });

  it("an unusable spec is a 400 that says why, and nothing is stored", async () => {
    const before = await worker.db.prepare("SELECT count(*) AS n FROM integrations").first<{ n: number }>();
    const body = await expectError(await addSpec({ slug: "broken", spec: "this: is: not: [valid" }), 400, "invalid_source");
    expect(body.error.message.length).toBeGreaterThan(10);
    await expectError(await addSpec({ slug: "empty", spec: { openapi: "3.0.0", info: { title: "x", version: "1" }, paths: {} } }), 400, "invalid_source");
    await expectError(await addSpec({ slug: "search", spec: { openapi: "3.0.0", info: { title: "x", version: "1" }, servers: [{ url: "https://x.example" }], paths: { "/a": { get: { responses: { "200": { description: "ok" } } } } } } }), 400, "invalid_request");
    await expectError(await worker.asUser("bob@example.com", "/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", spec: {} }) }), 403, "forbidden");
    expect(await worker.db.prepare("SELECT count(*) AS n FROM integrations").first<{ n: number }>()).toEqual(before);
  });
});
