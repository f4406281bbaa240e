/**
 * Swagger 2.0 to the OpenAPI 3.0 shape the rest of the import reads: host, basePath and
 * schemes become a server; body and formData parameters become a request body typed by
 * `consumes`; response schemas become content typed by `produces`; securityDefinitions
 * become securitySchemes; `collectionFormat` becomes style and explode.
 *
 * Schemas are not rewritten: they keep their `#/definitions/...` refs, and `definitions`
 * stays in the result so the schema converter resolves them there. It does not convert
 * response headers, examples or vendor extensions.
 */
import { isObject, readField, readString, type JsonObject } from "./json-value";
import { resolveObject } from "./refs";

/** The HTTP methods a Swagger path item may hold. */
const SWAGGER_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"];
const FORM_URLENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";
const OAUTH2_FLOWS: Record<string, string> = {
  implicit: "implicit",
  password: "password",
  application: "clientCredentials",
  accessCode: "authorizationCode",
};

/** An OpenAPI 3.0 document equivalent to `swagger`, plus its `definitions` for schema refs. */
export function convertSwagger2(swagger: JsonObject): JsonObject {
  const swaggerPaths = readField(swagger, "paths");
  const paths = isObject(swaggerPaths)
    ? Object.fromEntries(
        Object.entries(swaggerPaths).map(([path, item]) => [path, convertPathItem(swagger, resolveObject(swagger, item) ?? {})]),
      )
    : undefined;
  return {
    openapi: "3.0.3",
    info: swagger.info,
    servers: [{ url: serverUrl(swagger) }],
    paths,
    security: swagger.security,
    components: { securitySchemes: convertSecurityDefinitions(readField(swagger, "securityDefinitions")) },
    definitions: swagger.definitions,
  };
}

/** `scheme://host/basePath`, or just the base path (relative to the spec's URL) when there is no host. */
function serverUrl(swagger: JsonObject): string {
  const basePath = readString(swagger.basePath) ?? "";
  const host = readString(swagger.host);
  if (!host) return basePath || "/";
  const schemes = Array.isArray(swagger.schemes) ? swagger.schemes.filter((scheme) => typeof scheme === "string") : [];
  const scheme = schemes.includes("https") ? "https" : (schemes[0] ?? "https");
  return `${scheme}://${host}${basePath}`;
}

function convertPathItem(swagger: JsonObject, item: JsonObject): JsonObject {
  const converted: JsonObject = {};
  for (const method of SWAGGER_METHODS) {
    const operation = readField(item, method);
    if (isObject(operation)) converted[method] = convertOperation(swagger, item, operation);
  }
  return converted;
}

function convertOperation(swagger: JsonObject, item: JsonObject, operation: JsonObject): JsonObject {
  const consumes = mediaTypes(operation.consumes ?? swagger.consumes);
  const produces = mediaTypes(operation.produces ?? swagger.produces);
  const parameters: JsonObject[] = [];
  const formFields: JsonObject[] = [];
  let requestBody: JsonObject | undefined;
  for (const parameter of mergedParameters(swagger, item, operation)) {
    if (parameter.in === "body") {
      const types = consumes.filter((type) => type !== FORM_URLENCODED && type !== MULTIPART);
      requestBody = {
        description: parameter.description,
        required: parameter.required === true,
        content: contentFor(types.length > 0 ? types : ["application/json"], parameter.schema),
      };
    } else if (parameter.in === "formData") {
      formFields.push(parameter);
    } else {
      parameters.push(convertParameter(parameter));
    }
  }
  if (formFields.length > 0 && !requestBody) requestBody = formBody(formFields, consumes);
  return {
    operationId: operation.operationId,
    tags: operation.tags,
    summary: operation.summary,
    description: operation.description,
    parameters,
    requestBody,
    responses: convertResponses(swagger, operation.responses, produces),
    security: operation.security,
  };
}

/** Path-level then operation-level parameters, refs resolved; the operation's win on the same name and location. */
function mergedParameters(swagger: JsonObject, item: JsonObject, operation: JsonObject): JsonObject[] {
  const merged = new Map<string, JsonObject>();
  for (const list of [item.parameters, operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const parameter = resolveObject(swagger, raw);
      if (parameter && typeof parameter.name === "string" && typeof parameter.in === "string") {
        merged.set(`${parameter.in}:${parameter.name}`, parameter);
      }
    }
  }
  return [...merged.values()];
}

/** A Swagger parameter carries its schema keywords inline; the schema converter ignores the rest. */
function convertParameter(parameter: JsonObject): JsonObject {
  const converted: JsonObject = {
    name: parameter.name,
    in: parameter.in,
    required: parameter.required === true,
    description: parameter.description,
    schema: parameter,
  };
  if (parameter.type === "array") {
    const format = parameter.collectionFormat ?? "csv";
    if (format === "multi") {
      converted.style = "form";
      converted.explode = true;
    } else if (parameter.in === "query") {
      converted.style = format === "ssv" ? "spaceDelimited" : format === "pipes" ? "pipeDelimited" : "form";
      converted.explode = false;
    }
  }
  return converted;
}

/** formData parameters as one object body: multipart when a file is sent or only multipart is accepted. */
function formBody(fields: JsonObject[], consumes: string[]): JsonObject {
  const hasFile = fields.some((field) => field.type === "file");
  const contentType = hasFile || (consumes.includes(MULTIPART) && !consumes.includes(FORM_URLENCODED)) ? MULTIPART : FORM_URLENCODED;
  const required = fields.filter((field) => field.required === true).map((field) => field.name);
  const schema: JsonObject = {
    type: "object",
    properties: Object.fromEntries(fields.map((field) => [field.name, field])),
  };
  if (required.length > 0) schema.required = required;
  return { required: required.length > 0, content: { [contentType]: { schema } } };
}

function convertResponses(swagger: JsonObject, responses: unknown, produces: string[]): JsonObject {
  if (!isObject(responses)) return {};
  const types = produces.length > 0 ? produces : ["application/json"];
  const converted: [string, JsonObject][] = [];
  for (const [status, raw] of Object.entries(responses)) {
    const response = resolveObject(swagger, raw);
    if (!response) continue;
    const content = response.schema === undefined ? undefined : contentFor(types, response.schema);
    converted.push([status, { description: response.description, content }]);
  }
  return Object.fromEntries(converted);
}

function convertSecurityDefinitions(definitions: unknown): JsonObject {
  if (!isObject(definitions)) return {};
  return Object.fromEntries(Object.entries(definitions).map(([name, definition]) => [name, convertSecurityDefinition(definition)]));
}

function convertSecurityDefinition(definition: unknown): unknown {
  if (!isObject(definition)) return definition;
  if (definition.type === "basic") return { type: "http", scheme: "basic" };
  if (definition.type !== "oauth2") return definition;
  const flow = Object.hasOwn(OAUTH2_FLOWS, String(definition.flow)) ? OAUTH2_FLOWS[String(definition.flow)] : "authorizationCode";
  const { authorizationUrl, tokenUrl, scopes } = definition;
  return { type: "oauth2", flows: { [flow]: { authorizationUrl, tokenUrl, scopes } } };
}

function contentFor(types: string[], schema: unknown): JsonObject {
  return Object.fromEntries(types.map((type) => [type, { schema }]));
}

function mediaTypes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((type): type is string => typeof type === "string" && type !== "") : [];
}
