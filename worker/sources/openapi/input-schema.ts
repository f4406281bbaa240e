/**
 * A tool's input: one JSON Schema property per parameter, plus `body` for the request body,
 * and the parameter list `buildRequest` reads the values back with. Header parameters for
 * `Accept`, `Content-Type` and `Authorization` are left out: Executor sets those itself.
 * It does not build requests or decide how a connection authenticates.
 *
 * Bytes travel as base64 in JSON arguments: a binary body (`application/octet-stream`, an
 * image type...) takes `{base64, contentType?}`, and each binary field of a
 * `multipart/form-data` body takes `{base64, filename?, contentType?}` (docs/agents.md,
 * Uploads). Both also accept `size`, so a binary answer can be passed on as it came.
 */
import { mediaKind } from "../../http";
import { collectDefs, convertSchema, SCHEMA_DESCRIPTION_MAX_CHARS, type JsonSchema, type SchemaConverter } from "./json-schema";
import { isObject, readField, type JsonObject } from "./json-value";
import type { SpecOperation, SpecParameter } from "./operations";
import { resolveObject } from "./refs";
import { shortenText } from "./short-text";
import type { InvocationParameter, OpenApiInvocation } from "./tool";

/** The input property that carries the request body. */
export const BODY_ARG = "body";

/** A media type with optional parameters, on one line: what an upload's `contentType` may be. */
const MEDIA_TYPE_PATTERN = "^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+( *;[\\x20-\\x7e]*)?$";

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
    const shaped = bodyInput(converter, document, media, refs);
    body = { contentType: media.contentType, required: requestBody.required === true, ...shaped.encoding };
    properties.push([BODY_ARG, describe(shaped.schema, requestBody.description)]);
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

/** The input for one file: its bytes in base64 and how to label them. */
export const FILE_INPUT_SCHEMA: JsonObject = {
  type: "object",
  properties: {
    base64: { type: "string", description: "The bytes, base64-encoded" },
    filename: { type: "string", description: "The file name sent with the part (default: the field name)" },
    contentType: { type: "string", pattern: MEDIA_TYPE_PATTERN, description: "The part's media type (default application/octet-stream)" },
    size: { type: "integer", minimum: 0, description: "Ignored: lets a binary answer be passed on as it came" },
  },
  required: ["base64"],
  additionalProperties: false,
};

/** The input for a binary body: its bytes in base64 and their media type. */
export const BINARY_BODY_SCHEMA: JsonObject = {
  type: "object",
  properties: {
    base64: { type: "string", description: "The bytes, base64-encoded" },
    contentType: { type: "string", pattern: MEDIA_TYPE_PATTERN, description: "The body's media type (default: the operation's, else application/octet-stream)" },
    size: { type: "integer", minimum: 0, description: "Ignored: lets a binary answer be passed on as it came" },
  },
  required: ["base64"],
  additionalProperties: false,
};

/**
 * The `body` property's schema and how buildRequest encodes it. Multipart bodies whose
 * object schema lists its fields get file inputs for the binary ones; a body of a binary
 * media type whose schema is not structured (no schema, a string, `format: binary`) takes
 * base64. Everything else keeps the spec's schema.
 */
function bodyInput(
  converter: SchemaConverter,
  document: JsonObject,
  media: { contentType: string; media: unknown },
  refs: Set<string>,
): { schema: JsonSchema; encoding: Pick<NonNullable<OpenApiInvocation["body"]>, "files" | "binary"> } {
  const raw = readField(media.media, "schema");
  const kind = mediaKind(media.contentType);
  if (kind === "multipart") {
    const multipart = multipartInput(converter, document, raw, refs);
    if (multipart) return { schema: multipart.schema, encoding: { files: multipart.files } };
  } else if (kind !== "json" && kind !== "form") {
    const schema = raw === undefined ? undefined : resolveObject(document, raw);
    const unstructured = schema === undefined || ((schema.type === undefined || schema.type === "string") && schema.properties === undefined && schema.items === undefined);
    if ((schema !== undefined && isBinarySchema(schema)) || (kind === "binary" && unstructured)) return { schema: BINARY_BODY_SCHEMA, encoding: { binary: true } };
  }
  return { schema: convertSchema(converter, raw, refs), encoding: {} };
}

/** A multipart object schema with its binary fields (and arrays of them) as file inputs; undefined when it lists no fields. */
function multipartInput(converter: SchemaConverter, document: JsonObject, raw: unknown, refs: Set<string>): { schema: JsonObject; files: string[] } | undefined {
  const schema = resolveObject(document, raw);
  if (!schema || !isObject(schema.properties)) return undefined;
  const files: string[] = [];
  const properties: JsonObject = {};
  for (const [name, rawField] of Object.entries(schema.properties)) {
    const field = resolveObject(document, rawField);
    const items = field?.type === "array" ? resolveObject(document, field.items) : undefined;
    if (field && isBinarySchema(field)) {
      properties[name] = describe(FILE_INPUT_SCHEMA, field.description);
      files.push(name);
    } else if (items && isBinarySchema(items)) {
      properties[name] = describe({ type: "array", items: FILE_INPUT_SCHEMA }, field?.description);
      files.push(name);
    } else {
      properties[name] = convertSchema(converter, rawField, refs);
    }
  }
  const converted: JsonObject = { type: "object", properties };
  const required = Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string" && Object.hasOwn(properties, name)) : [];
  if (required.length > 0) converted.required = required;
  const description = shortenText(schema.description, SCHEMA_DESCRIPTION_MAX_CHARS);
  if (description) converted.description = description;
  return { schema: converted, files };
}

/**
 * A schema for raw bytes: `format: binary` (3.0), Swagger's `type: file`, or 3.1's
 * `contentMediaType` without a `contentEncoding` (with one, the value is already text).
 */
function isBinarySchema(schema: JsonObject): boolean {
  return schema.format === "binary" || schema.type === "file" || (typeof schema.contentMediaType === "string" && schema.contentEncoding === undefined);
}

/** The parameter's own description on its schema, unless the schema already has one. */
function describe(schema: JsonSchema, description: unknown): JsonSchema {
  const text = shortenText(description, SCHEMA_DESCRIPTION_MAX_CHARS);
  if (!text) return schema;
  if (typeof schema === "boolean") return schema ? { description: text } : schema;
  return schema.description === undefined ? { ...schema, description: text } : schema;
}
