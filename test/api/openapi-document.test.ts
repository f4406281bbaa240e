/**
 * GET /api/openapi.json (worker/api/openapi-document.ts), through the built Worker:
 * - it is a valid OpenAPI 3.1 document: the OAI's own 3.1 schema, as packaged by
 *   @seriousme/openapi-schema-validator (Ajv, independent of our validator; it also checks
 *   every `$ref` resolves), and every Schema Object is valid JSON Schema 2020-12;
 * - every route of the route table is there with all it declares: its answer's schema
 *   (a route without one fails here), its path and query parameters, its body, its errors;
 * - and it agrees with what the router does, asked independently: the methods each path
 *   serves (the 405 answers name them), where a body is checked, which query parameters are.
 * The answers themselves are checked against these schemas in schemas.test.ts.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../harness/assertions";
import { concretePath, fetchApiDocument, operations, successStatus, type ApiDocument, type Operation } from "../harness/openapi";
import { startWorker, type TestWorker } from "../harness/worker";

/** A schema that says something: a reference, a type, or a choice of values. */
function isMeaningful(schema: unknown): boolean {
  if (schema === null || typeof schema !== "object") return false;
  return ["$ref", "type", "enum", "const", "anyOf", "oneOf", "allOf"].some((keyword) => keyword in schema);
}

/** Every `$ref` inside a value. */
function refsIn(value: unknown): string[] {
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap(refsIn);
  return Object.entries(value).flatMap(([key, inner]) => (key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner)));
}

/** Every Schema Object of the document (components, parameters, bodies, answers). */
function schemasIn(document: ApiDocument): { where: string; schema: unknown }[] {
  const found = Object.entries(document.components.schemas).map(([name, schema]) => ({ where: `components.schemas.${name}`, schema }));
  for (const { key, operation } of operations(document)) {
    for (const parameter of operation.parameters ?? []) found.push({ where: `${key} parameter ${parameter.name}`, schema: parameter.schema });
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) found.push({ where: `${key} body ${type}`, schema: media.schema });
    for (const [status, answer] of Object.entries(operation.responses)) {
      for (const [type, media] of Object.entries(answer.content ?? {})) found.push({ where: `${key} ${status} ${type}`, schema: media.schema });
    }
  }
  return found;
}

/** What is missing from one operation, as readable lines (empty when complete). */
function gapsOf(document: ApiDocument, key: string, path: string, operation: Operation): string[] {
  const gaps: string[] = [];
  const method = key.split(" ")[0]!;
  const write = method !== "GET";
  const status = successStatus(operation);
  if (!status) gaps.push(`${key}: no single success answer (200, 201, 204 or 302)`);
  const success = status ? operation.responses[status]! : undefined;
  if (success && (status === "200" || status === "201")) {
    const json = success.content?.["application/json"]?.schema ?? success.content?.["application/x-ndjson"]?.schema;
    const html = success.content?.["text/html"];
    if (!html && !isMeaningful(json)) gaps.push(`${key}: its ${status} answer has no JSON Schema (declare \`response\` with a schema from worker/api/schemas.ts)`);
  }
  if (success && !success.description) gaps.push(`${key}: its answer has no description`);
  if (!operation.summary) gaps.push(`${key}: no summary`);

  const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
  const parameters = operation.parameters ?? [];
  const declaredPath = parameters.filter((parameter) => parameter.in === "path");
  for (const name of pathNames) {
    const parameter = declaredPath.find((candidate) => candidate.name === name);
    if (!parameter || parameter.required !== true || !isMeaningful(parameter.schema)) gaps.push(`${key}: path parameter ${name} missing or incomplete`);
  }
  if (declaredPath.length !== pathNames.length) gaps.push(`${key}: path parameters ${declaredPath.map((p) => p.name)} do not match the path`);
  for (const parameter of parameters.filter((candidate) => candidate.in === "query")) {
    if (!isMeaningful(parameter.schema) || !parameter.description) gaps.push(`${key}: query parameter ${parameter.name} lacks a schema or description`);
  }

  if (operation.requestBody) {
    if (method === "GET") gaps.push(`${key}: a GET with a body`);
    if (!isMeaningful(operation.requestBody.content["application/json"]?.schema)) gaps.push(`${key}: its body has no JSON Schema`);
  }

  const errors = ["401", "404", "503", "default", ...(write || parameters.some((p) => p.in === "query") ? ["400"] : []), ...(write ? ["403", "413"] : [])];
  for (const error of errors) {
    const reference = operation.responses[error]?.$ref;
    const answer = reference?.startsWith("#/components/responses/") ? document.components.responses[reference.slice("#/components/responses/".length)] : undefined;
    if (answer?.content?.["application/json"]?.schema === undefined) gaps.push(`${key}: no ${error} error answer`);
  }
  return gaps;
}

describe("/api/openapi.json", () => {
  let worker: TestWorker;
  let document: ApiDocument;
  beforeAll(async () => {
    worker = await startWorker();
    document = await fetchApiDocument(worker);
  });
  afterAll(() => worker.close());

  describe("is OpenAPI 3.1", () => {
    it("valid against the OAI's OpenAPI 3.1 schema, every $ref resolving", async () => {
      const validator = new Validator();
      const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(validator.version).toBe("3.1");
    });

    it("the same check refuses a broken document, so it can fail", async () => {
      const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
      broken.paths["/api/tools"]!.get!.parameters!.push({ name: "no-in", schema: { type: "string" } });
      expect((await new Validator().validate(broken)).valid).toBe(false);
      const dangling = structuredClone(document) as unknown as { components: { schemas: Record<string, unknown> } };
      delete dangling.components.schemas.Connection;
      expect((await new Validator().validate(dangling)).valid).toBe(false);
    });

    it("every Schema Object is valid JSON Schema 2020-12 (the dialect of OpenAPI 3.1)", () => {
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      const invalid = schemasIn(document)
        .filter(({ schema }) => !ajv.validateSchema(schema as object))
        .map(({ where }) => `${where}: ${ajv.errorsText()}`);
      expect(invalid).toEqual([]);
      expect(ajv.validateSchema({ type: "strin" })).toBe(false);
    });

    it("operation ids are unique", () => {
      const ids = operations(document).map(({ operation }) => operation.operationId);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe("every route, with its schemas", () => {
    it("has its answer's schema, its path and query parameters, its body when it takes one, and the error answers", () => {
      const all = operations(document);
      expect(all.length).toBeGreaterThan(25);
      expect(all.flatMap(({ key, path, operation }) => gapsOf(document, key, path, operation))).toEqual([]);
    });

    it("the completeness check fails for a route that declares no answer schema", () => {
      const operation = structuredClone(document.paths["/api/policies"]!.get!);
      operation.responses["200"] = { description: "OK", content: { "application/json": { schema: {} } } };
      expect(gapsOf(document, "GET /api/policies", "/api/policies", operation)).toEqual([expect.stringContaining("has no JSON Schema")]);
      delete operation.responses["200"];
      expect(gapsOf(document, "GET /api/policies", "/api/policies", operation)).toEqual([expect.stringContaining("no single success answer")]);
    });

    it("lists exactly the methods the router serves on each path (its 405 answers name them)", async () => {
      for (const [path, methods] of Object.entries(document.paths)) {
        const response = await worker.asUser("admin@example.com", concretePath(path), { method: "PUT" });
        const body = await expectError(response, 405, "method_not_allowed");
        const served = /^Use (.+) on /.exec(body.error.message)?.[1]?.split(" or ").sort();
        expect(served, path).toEqual(Object.keys(methods).map((method) => method.toUpperCase()).sort());
      }
    });

    it("declares a body exactly where the router checks one; a bad body names its fields", async () => {
      for (const { method, path, key, operation } of operations(document).filter(({ method }) => method !== "GET")) {
        const response = await worker.asUser("admin@example.com", concretePath(path), { method, body: JSON.stringify({ zz_unknown: 1 }) });
        const body = await expectError(response, 400, "invalid_request");
        const fields = (body.error.details as { field: string; problem: string }[]).map((detail) => detail.field);
        // A route without a body refuses any field as "body"; one with a body names what is wrong in it.
        if (operation.requestBody) expect(fields, key).toContain("zz_unknown");
        else expect(fields, key).toEqual(["body"]);
      }
    });

    it("checks each declared query parameter that can be wrong, naming it", async () => {
      const wrong = (declared: Record<string, unknown>): string | undefined => {
        const schema = (typeof declared.$ref === "string" ? document.components.schemas[declared.$ref.split("/").at(-1)!] : declared) as Record<string, unknown>;
        if (schema.type === "integer" || schema.type === "number") return "not-a-number";
        if (schema.type === "boolean") return "maybe";
        return "enum" in schema ? "not-a-value" : undefined;
      };
      let checked = 0;
      for (const { method, path, key, operation } of operations(document)) {
        for (const parameter of (operation.parameters ?? []).filter((candidate) => candidate.in === "query")) {
          const value = wrong(parameter.schema);
          if (value === undefined) continue;
          const response = await worker.asUser("admin@example.com", `${concretePath(path)}?${parameter.name}=${value}`, { method });
          const body = await expectError(response, 400, "invalid_request");
          expect(body.error.details, `${key} ?${parameter.name}`).toEqual([{ field: parameter.name, problem: expect.any(String) }]);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(7);
    });
  });
});
