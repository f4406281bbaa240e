/**
 * A Google tool's input: one property per method parameter (path and query), `fields`, and
 * `body` for the request; plus the parameter list `buildRequest` reads the values back with.
 * Path parameters and `required: true` ones are required; `repeated: true` ones are arrays
 * (sent as `labelIds=A&labelIds=B`). Properties follow `parameterOrder`, then the rest as
 * declared. The body is the `request` schema, with the top-level properties that the schema's
 * `annotations.required` lists for this method made required (Gmail's `raw` for
 * `messages.send`, Calendar's `start` and `end` for `events.insert`).
 *
 * Of Discovery's global parameters only `fields` is offered: it selects the parts of the
 * answer to return (`files(id,name,modifiedTime)`), which Drive needs for anything beyond
 * a file's id and name, and which keeps answers small in the agent's context. The others are
 * left out: credentials (`key`, `access_token`, `oauth_token`) are the connection's and never
 * the agent's; `alt=media`, uploads and JSONP are not supported; `prettyPrint`, `quotaUser`
 * and `$.xgafv` change nothing an agent needs.
 */
import { BODY_ARG } from "../openapi/input-schema";
import { collectDefs, convertSchema, type JsonSchema, type SchemaConverter } from "../openapi/json-schema";
import { isObject, readField, readString, type JsonObject } from "../openapi/json-value";
import type { InvocationParameter, OpenApiInvocation } from "../openapi";
import { rewriteSchema, schemaPointer } from "./discovery-schema";
import type { RequestPath } from "./request-path";

/** The one global parameter offered on every tool. */
export const FIELDS_ARG = "fields";
const FIELDS_SCHEMA: JsonObject = {
  type: "string",
  description: "Only these fields of the answer, e.g. `files(id,name,modifiedTime),nextPageToken`; default: the API's own selection.",
};

export interface GoogleInput {
  inputSchema: JsonObject;
  parameters: InvocationParameter[];
  body?: OpenApiInvocation["body"];
}

/** What input-schema needs from the document. */
export interface InputContext {
  converter: SchemaConverter;
  /** The document's schemas as written (for `annotations.required`). */
  schemas: JsonObject;
  /** The names refs may point at. */
  schemaNames: ReadonlySet<string>;
}

interface Parameter {
  name: string;
  location: "path" | "query";
  spec: JsonObject;
}

/** The input schema and parameter mapping for one method called at `path`; `allowsBody` is false for GET and HEAD. */
export function buildInput(context: InputContext, method: JsonObject, path: RequestPath, allowsBody: boolean): GoogleInput {
  const parameters = readParameters(method, path);
  const request = readString(readField(readField(method, "request"), "$ref"));
  // The body schema's name; none when the method takes no body or names a schema that is missing.
  const bodyName = allowsBody && request !== undefined && context.schemaNames.has(request) ? request : undefined;
  const hasBody = bodyName !== undefined;
  const taken = new Set(parameters.map((parameter) => parameter.name));

  const refs = new Set<string>();
  const properties: [string, JsonSchema][] = [];
  const required: string[] = [];
  const invocationParameters = parameters.map((parameter): InvocationParameter => {
    // `body` belongs to the request body; a parameter of that name is renamed by its location.
    const arg = hasBody && parameter.name === BODY_ARG ? uniqueArg(`${parameter.location}_${parameter.name}`, taken) : parameter.name;
    const isRequired = parameter.location === "path" || parameter.spec.required === true;
    properties.push([arg, convertSchema(context.converter, parameterSchema(parameter.spec, context.schemaNames), refs)]);
    if (isRequired) required.push(arg);
    const converted: InvocationParameter = { name: parameter.name, in: parameter.location, arg, required: isRequired };
    if (path.reserved.has(parameter.name)) converted.allowReserved = true;
    return converted;
  });
  if (!taken.has(FIELDS_ARG)) {
    properties.push([FIELDS_ARG, { ...FIELDS_SCHEMA }]);
    invocationParameters.push({ name: FIELDS_ARG, in: "query", arg: FIELDS_ARG, required: false });
  }

  let body: GoogleInput["body"];
  if (bodyName !== undefined) {
    body = { contentType: "application/json", required: true };
    properties.push([BODY_ARG, convertSchema(context.converter, bodySchema(context, bodyName, readString(method.id)), refs)]);
    required.push(BODY_ARG);
  }

  const inputSchema: JsonObject = { type: "object", properties: Object.fromEntries(properties) };
  if (required.length > 0) inputSchema.required = required;
  inputSchema.additionalProperties = false;
  const defs = collectDefs(context.converter, refs);
  if (Object.keys(defs).length > 0) inputSchema.$defs = defs;
  return { inputSchema, parameters: invocationParameters, body };
}

/**
 * The method's path and query parameters, `parameterOrder` first. A placeholder of the path
 * the document forgot to declare is added as a required string, so the tool can be called.
 */
function readParameters(method: JsonObject, path: RequestPath): Parameter[] {
  const declared = readField(method, "parameters");
  const byName = new Map<string, Parameter>();
  if (isObject(declared)) {
    for (const [name, spec] of Object.entries(declared)) {
      if (!isObject(spec) || name === "") continue;
      const location = spec.location;
      if (location !== "path" && location !== "query") continue;
      // A path parameter the chosen template does not use could not be sent.
      if (location === "path" && !path.placeholders.includes(name)) continue;
      byName.set(name, { name, location, spec });
    }
  }
  for (const name of path.placeholders) {
    const existing = byName.get(name);
    if (!existing || existing.location !== "path") byName.set(name, { name, location: "path", spec: { type: "string", required: true } });
  }
  const order = readField(method, "parameterOrder");
  const first = Array.isArray(order) ? order.filter((name): name is string => typeof name === "string" && byName.has(name)) : [];
  const names = [...new Set([...first, ...byName.keys()])];
  return names.map((name) => byName.get(name)!);
}

/** A parameter's schema; a repeated one is an array of it, the description kept on the array. */
function parameterSchema(spec: JsonObject, schemaNames: ReadonlySet<string>): JsonObject {
  const schema = rewriteSchema(spec, schemaNames);
  if (spec.repeated !== true) return schema;
  const { description, ...item } = schema;
  return { type: "array", items: item, ...(description === undefined ? {} : { description }) };
}

/** `{ $ref }` to the request schema, plus the top-level properties this method requires. */
function bodySchema(context: InputContext, name: string, methodId: string | undefined): JsonObject {
  const schema: JsonObject = { $ref: schemaPointer(name) };
  const properties = readField(readField(context.schemas, name), "properties");
  if (methodId === undefined || !isObject(properties)) return schema;
  const required = Object.entries(properties)
    .filter(([, property]) => {
      const methods = readField(readField(property, "annotations"), "required");
      return Array.isArray(methods) && methods.includes(methodId);
    })
    .map(([propertyName]) => propertyName);
  return required.length > 0 ? { ...schema, required } : schema;
}

function uniqueArg(base: string, taken: Set<string>): string {
  let arg = base;
  for (let suffix = 2; taken.has(arg); suffix++) arg = `${base}${suffix}`;
  taken.add(arg);
  return arg;
}
