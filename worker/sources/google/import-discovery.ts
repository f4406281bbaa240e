/**
 * A Google Discovery document (`https://gmail.googleapis.com/$discovery/rest?version=v1`) to an
 * integration: title, base URL, OAuth scopes and one tool per method, in the OpenAPI source's
 * tool shape so that the OpenAPI invoker calls them unchanged. Pure: no fetching, no storing.
 * Reads use GET and run by default; every other method waits for approval. Media upload and
 * download (`mediaUpload`, `alt=media`) are not offered: a tool sends and receives JSON.
 */
import type { OpenApiTool } from "../openapi";
import { TOOL_DESCRIPTION_MAX_CHARS } from "../openapi/import-openapi";
import { createSchemaConverter } from "../openapi/json-schema";
import { isObject, readField, readString, type JsonObject } from "../openapi/json-value";
import { fitToolRow } from "../openapi/row-size";
import { shortenText } from "../openapi/short-text";
import { SpecError } from "../openapi/spec-error";
import { googleBaseUrl } from "./base-url";
import { rewriteSchemas, SCHEMAS_AT } from "./discovery-schema";
import { buildInput, type InputContext } from "./input-schema";
import { listMethods } from "./methods";
import { buildOutputSchema } from "./output-schema";
import { chooseRequestPath } from "./request-path";
import { GOOGLE_SECURITY, googleSecuritySchemes, readScopes } from "./security-schemes";
import type { GoogleImport } from "./tool";

const TITLE_MAX_CHARS = 200;
const API_DESCRIPTION_MAX_CHARS = 1_000;
const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** fetch refuses a body on these, so a `request` schema on one is not offered. */
const BODILESS_METHODS = new Set(["GET", "HEAD"]);

/** Converts a parsed Discovery document. Throws SpecError when it is not one or offers nothing to call. */
export function importGoogleDiscovery(document: unknown): GoogleImport {
  if (!isObject(document)) throw new SpecError("The document is not a JSON object, so it cannot be a Google Discovery document.");
  checkKind(document);
  const baseUrl = googleBaseUrl(document);
  const schemas = isObject(document.schemas) ? document.schemas : {};
  const context: InputContext = {
    converter: createSchemaConverter({ [SCHEMAS_AT[0]]: rewriteSchemas(schemas) }, SCHEMAS_AT),
    schemas,
    schemaNames: new Set(Object.keys(schemas)),
  };
  const servicePath = readString(document.servicePath) ?? "";
  const tools: OpenApiTool[] = [];
  for (const { name, method } of listMethods(document)) {
    const tool = buildTool(context, name, method, servicePath);
    if (tool) tools.push(fitToolRow(tool));
  }
  if (tools.length === 0) throw new SpecError("The Discovery document has no method that can be called (no `resources` with `methods`).");

  const scopes = readScopes(document);
  const description = shortenText(document.description, API_DESCRIPTION_MAX_CHARS);
  const version = readString(document.version);
  const documentationLink = readString(document.documentationLink);
  const apiName = readString(document.name);
  return {
    title: shortenText(document.title ?? document.canonicalName ?? document.name, TITLE_MAX_CHARS) || "Google API",
    ...(apiName && /^[a-z][a-z0-9]{0,39}$/.test(apiName) ? { apiName } : {}),
    ...(description ? { description } : {}),
    ...(version ? { version } : {}),
    baseUrl,
    ...(documentationLink && /^https:\/\//.test(documentationLink) ? { documentationLink } : {}),
    scopes,
    securitySchemes: googleSecuritySchemes(scopes),
    tools,
  };
}

/** Refuses documents that are not Discovery REST descriptions, naming what they look like instead. */
function checkKind(document: JsonObject): void {
  if (document.openapi !== undefined || document.swagger !== undefined) {
    throw new SpecError("This is an OpenAPI document, not a Google Discovery document: add it as kind `openapi`.");
  }
  if (document.kind !== "discovery#restDescription" && document.discoveryVersion === undefined) {
    throw new SpecError("The document is not a Google Discovery document (no `kind: discovery#restDescription`).");
  }
  if (document.protocol !== undefined && document.protocol !== "rest") {
    throw new SpecError(`Discovery protocol "${String(document.protocol).slice(0, 40)}" is not supported; only REST APIs are.`);
  }
}

/** One method as a tool, or null when it cannot be called (no usable HTTP method or path). */
function buildTool(context: InputContext, name: string, method: JsonObject, servicePath: string): OpenApiTool | null {
  const httpMethod = readString(method.httpMethod)?.toUpperCase();
  if (!httpMethod || !HTTP_METHODS.has(httpMethod)) return null;
  const declared = readField(method, "parameters");
  const pathParameters = new Set(
    isObject(declared) ? Object.entries(declared).filter(([, spec]) => readField(spec, "location") === "path").map(([parameter]) => parameter) : [],
  );
  const path = chooseRequestPath(method.flatPath, method.path, pathParameters);
  if (!path) return null;
  const template = relativeTemplate(path.template, servicePath);
  if (template === null) return null;
  const input = buildInput(context, method, path, !BODILESS_METHODS.has(httpMethod));
  return {
    name,
    description: describeMethod(method, httpMethod, template),
    inputSchema: input.inputSchema,
    outputSchema: buildOutputSchema(context, method),
    defaultPolicy: SAFE_METHODS.has(httpMethod) ? "allow" : "approve",
    invocation: {
      method: httpMethod,
      path: template,
      parameters: input.parameters,
      ...(input.body ? { body: input.body } : {}),
      security: GOOGLE_SECURITY,
    },
  };
}

/**
 * Method paths are relative to `rootUrl + servicePath`; one starting with `/` is relative to
 * the host instead, which the base URL can express only when it starts with the service path.
 */
function relativeTemplate(template: string, servicePath: string): string | null {
  if (!template.startsWith("/")) return template;
  const fromRoot = template.slice(1);
  if (servicePath === "") return fromRoot;
  return fromRoot.startsWith(servicePath) ? fromRoot.slice(servicePath.length) : null;
}

function describeMethod(method: JsonObject, httpMethod: string, template: string): string {
  return shortenText(method.description, TOOL_DESCRIPTION_MAX_CHARS) || `${httpMethod} ${template}`;
}
