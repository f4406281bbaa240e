/**
 * Cuts a real OpenAPI document down to what tool search reads, so that the evaluation can
 * ship it as test data: per operation its operationId, summary, tags, description (capped),
 * parameters (name, location, required, scalar type) and the top-level properties of a JSON
 * or form request body. Responses, schemas and examples are dropped. It does not keep a spec
 * callable; it keeps it importable by `importOpenApi` with the same names and words.
 *
 * Usage: npx tsx test/catalog/search-eval/specs/slice-spec.ts <spec.json|yaml> <out.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseSpecText } from "../../../../worker/sources/openapi";

const METHODS = ["get", "put", "post", "delete", "patch"];
const DESCRIPTION_MAX_CHARS = 600;

type Json = Record<string, unknown>;

/** The sliced document. */
export function sliceSpec(document: Json): Json {
  const paths: Json = {};
  for (const [path, rawItem] of Object.entries((document.paths ?? {}) as Json)) {
    const item = rawItem as Json;
    const sliced: Json = {};
    const shared = parametersOf(document, item.parameters);
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const parameters = [...shared, ...parametersOf(document, operation.parameters)];
      const body = bodyOf(document, operation.requestBody);
      sliced[method] = {
        ...(operation.operationId ? { operationId: operation.operationId } : {}),
        ...(operation.summary ? { summary: operation.summary } : {}),
        ...(operation.description ? { description: String(operation.description).slice(0, DESCRIPTION_MAX_CHARS) } : {}),
        ...(Array.isArray(operation.tags) ? { tags: operation.tags } : {}),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(body ? { requestBody: body } : {}),
        responses: { "200": { description: "OK" } },
      };
    }
    if (Object.keys(sliced).length > 0) paths[path] = sliced;
  }
  const info = (document.info ?? {}) as Json;
  return { openapi: "3.0.0", info: { title: info.title, version: info.version }, servers: document.servers, paths };
}

function resolve(document: Json, node: unknown): Json {
  let current = node as Json;
  for (let hops = 0; hops < 10 && current && typeof current.$ref === "string"; hops++) {
    current = (current.$ref as string)
      .slice(2)
      .split("/")
      .reduce<unknown>((at, key) => (at as Json)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], document) as Json;
  }
  return current ?? {};
}

function parametersOf(document: Json, list: unknown): Json[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((raw) => resolve(document, raw))
    .filter((parameter) => typeof parameter.name === "string")
    .map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      ...(parameter.required ? { required: true } : {}),
      schema: { type: scalarType(resolve(document, parameter.schema)) },
    }));
}

function bodyOf(document: Json, raw: unknown): Json | undefined {
  if (!raw) return undefined;
  const body = resolve(document, raw);
  const content = (body.content ?? {}) as Json;
  const [contentType, media] = Object.entries(content)[0] ?? [];
  if (!contentType) return undefined;
  const schema = resolve(document, (media as Json).schema);
  const properties = Object.fromEntries(Object.entries((schema.properties ?? {}) as Json).map(([name, value]) => [name, { type: scalarType(resolve(document, value)) }]));
  return {
    ...(body.required ? { required: true } : {}),
    content: { [contentType]: { schema: { type: "object", properties, ...(Array.isArray(schema.required) ? { required: schema.required } : {}) } } },
  };
}

function scalarType(schema: Json): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  return typeof type === "string" ? type : "object";
}

if (process.argv[1]?.endsWith("slice-spec.ts")) {
  const [input, output] = process.argv.slice(2);
  writeFileSync(output, `${JSON.stringify(sliceSpec(parseSpecText(readFileSync(input, "utf8")) as Json))}\n`);
}
