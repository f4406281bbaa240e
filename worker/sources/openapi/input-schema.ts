/**
 * A tool's input: one JSON Schema property per parameter, plus `body` for the request body,
 * and the parameter list `buildRequest` reads the values back with. Header parameters for
 * `Accept`, `Content-Type` and `Authorization` are left out: Executor sets those itself.
 * It does not build requests or decide how a connection authenticates.
 */
import { collectDefs, convertSchema, SCHEMA_DESCRIPTION_MAX_CHARS, type JsonSchema, type SchemaConverter } from "./json-schema";
import { isObject, readField, type JsonObject } from "./json-value";
import type { SpecOperation, SpecParameter } from "./operations";
import { resolveObject } from "./refs";
import { shortenText } from "./short-text";
import type { InvocationParameter, OpenApiInvocation } from "./tool";

/** The input property that carries the request body. */
export const BODY_ARG = "body";

/** Headers the invoker owns: content negotiation and credentials are not the agent's to set. */
const RESERVED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export interface ToolInput {
  inputSchema: JsonObject;
  parameters: InvocationParameter[];
  body?: OpenApiInvocation["body"];
}

/** The input schema and parameter mapping for one operation. */
export function buildInput(converter: SchemaConverter, document: JsonObject, operation: SpecOperation): ToolInput {
  const specParameters = operation.parameters.filter(
    (parameter) => !(parameter.in === "header" && RESERVED_HEADERS.has(parameter.name.toLowerCase())),
  );
  const requestBody = resolveObject(document, operation.operation.requestBody);
  const media = requestBody ? chooseRequestMedia(requestBody.content) : undefined;
  const args = argNames(specParameters, media !== undefined);

  const refs = new Set<string>();
  const properties: [string, JsonSchema][] = [];
  const required: string[] = [];
  const parameters: InvocationParameter[] = specParameters.map((parameter, index) => {
    const arg = args[index];
    const isRequired = parameter.in === "path" || parameter.required === true;
    properties.push([arg, describe(convertSchema(converter, parameterSchema(parameter), refs), parameter.description)]);
    if (isRequired) required.push(arg);
    return invocationParameter(parameter, arg, isRequired);
  });

  let body: ToolInput["body"];
  if (requestBody && media) {
    body = { contentType: media.contentType, required: requestBody.required === true };
    properties.push([BODY_ARG, describe(convertSchema(converter, readField(media.media, "schema"), refs), requestBody.description)]);
    if (body.required) required.push(BODY_ARG);
  }

  const inputSchema: JsonObject = { type: "object", properties: Object.fromEntries(properties) };
  if (required.length > 0) inputSchema.required = required;
  inputSchema.additionalProperties = false;
  const defs = collectDefs(converter, refs);
  if (Object.keys(defs).length > 0) inputSchema.$defs = defs;
  return { inputSchema, parameters, body };
}

/**
 * Input property names: the parameter's own name unless another location (or the body)
 * uses it too; then path parameters keep it and the others become `<in>_<name>`. `body`
 * always belongs to the request body.
 */
function argNames(parameters: SpecParameter[], hasBody: boolean): string[] {
  const counts = new Map<string, number>();
  for (const name of [...parameters.map((parameter) => parameter.name), ...(hasBody ? [BODY_ARG] : [])]) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const taken = new Set<string>([...counts.keys()]);
  return parameters.map((parameter) => {
    if (counts.get(parameter.name) === 1 || (parameter.in === "path" && parameter.name !== BODY_ARG)) return parameter.name;
    const base = `${parameter.in}_${parameter.name}`;
    let arg = base;
    for (let suffix = 2; taken.has(arg); suffix++) arg = `${base}${suffix}`;
    taken.add(arg);
    return arg;
  });
}

function invocationParameter(parameter: SpecParameter, arg: string, required: boolean): InvocationParameter {
  const converted: InvocationParameter = { name: parameter.name, in: parameter.in, arg, required };
  if (typeof parameter.style === "string") converted.style = parameter.style;
  if (typeof parameter.explode === "boolean") converted.explode = parameter.explode;
  return converted;
}

/** A 3.x parameter has a `schema`, or a `content` map with one media type holding it. */
function parameterSchema(parameter: SpecParameter): unknown {
  if (parameter.schema !== undefined) return parameter.schema;
  const content = parameter.content;
  if (!isObject(content)) return undefined;
  const first = Object.values(content)[0];
  return readField(first, "schema");
}

/** JSON first (the one body we can always send faithfully), then form encoding, then whatever the spec lists first. */
function chooseRequestMedia(content: unknown): { contentType: string; media: unknown } | undefined {
  if (!isObject(content)) return undefined;
  const types = Object.keys(content);
  const base = (type: string) => type.split(";")[0].trim().toLowerCase();
  const chosen =
    types.find((type) => base(type) === "application/json") ??
    types.find((type) => /^application\/[^/]*\+json$/.test(base(type))) ??
    types.find((type) => base(type) === "application/x-www-form-urlencoded") ??
    types.find((type) => base(type) === "multipart/form-data") ??
    types[0];
  return chosen === undefined ? undefined : { contentType: chosen, media: content[chosen] };
}

/** The parameter's own description on its schema, unless the schema already has one. */
function describe(schema: JsonSchema, description: unknown): JsonSchema {
  const text = shortenText(description, SCHEMA_DESCRIPTION_MAX_CHARS);
  if (!text) return schema;
  if (typeof schema === "boolean") return schema ? { description: text } : schema;
  return schema.description === undefined ? { ...schema, description: text } : schema;
}
