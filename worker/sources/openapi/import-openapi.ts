/**
 * A parsed OpenAPI 3.0 / 3.1 or Swagger 2.0 document to an integration: its title, base URL,
 * security schemes and one tool per operation. Pure: no fetching, no storing. The optional
 * include / exclude path globs are applied first; Swagger 2.0 is then converted to the 3.0
 * shape, and everything after that reads one shape.
 */
import { resolveBaseUrl, normaliseBaseUrl } from "./base-url";
import { buildInput } from "./input-schema";
import { createSchemaConverter, type SchemaConverter } from "./json-schema";
import { isObject, readField, type JsonObject } from "./json-value";
import { listOperations, type SpecOperation } from "./operations";
import { buildOutputSchema } from "./output-schema";
import { filterPaths, isEmptyFilter, type PathFilter } from "./path-filter";
import { fitToolRow } from "./row-size";
import { readSecurityRequirements, readSecuritySchemes } from "./security-schemes";
import { shortenText } from "./short-text";
import { SpecError } from "./spec-error";
import { convertSwagger2 } from "./swagger2";
import { nameTools, operationKey } from "./tool-names";
import type { OpenApiImport, OpenApiTool } from "./tool";

export interface ImportOptions extends PathFilter {
  /** Where the spec was fetched from; relative server URLs resolve against it. */
  specUrl?: string;
  /** Replaces the spec's own server URL. */
  baseUrl?: string;
  /**
   * On a refresh, the integration's current tools (their stored `name` and `invocation`): an
   * operation keeps its old name while it still fits (see tool-names.ts).
   */
  previousTools?: ReadonlyArray<{ name: string; invocation: unknown }>;
  /**
   * Parameters (by name, in any location) that carry the credential the connection already
   * sends, left out of every tool: Slack's spec declares its token as a `token` parameter,
   * which the agent neither has nor should pass.
   */
  omitParameters?: readonly string[];
}

/** Tool descriptions are cut to this many characters. */
export const TOOL_DESCRIPTION_MAX_CHARS = 400;
/** The integration's title and description are cut to these many characters. */
const TITLE_MAX_CHARS = 200;
const SPEC_DESCRIPTION_MAX_CHARS = 1_000;
const SAFE_METHODS = new Set(["get", "head", "options"]);

/** Converts a parsed OpenAPI 3.0 / 3.1 or Swagger 2.0 document. Throws SpecError. */
export function importOpenApi(document: unknown, options: ImportOptions = {}): OpenApiImport {
  if (!isObject(document)) throw new SpecError("The spec is not a JSON or YAML object, so it cannot be an OpenAPI document.");
  const { root, schemasAt } = normaliseDocument(selectPaths(document, options));
  if (!isObject(root.paths)) throw new SpecError("The spec has no `paths`, so it describes no operations to call.");
  const operations = listOperations(root);
  if (operations.length === 0) {
    if (!isEmptyFilter(options)) throw new SpecError("No operation of the spec is on a path the include / exclude globs keep.");
    throw new SpecError("The spec's `paths` contain no operations (no get, post, put, patch, delete, ...).");
  }

  const converter = createSchemaConverter(root, schemasAt);
  const names = nameTools(
    operations.map(({ method, path, operation }) => ({ method, path, operationId: operation.operationId, tags: operation.tags })),
    previousNames(options.previousTools ?? []),
  );
  const defaultSecurity = root.security;
  const omitted = new Set(options.omitParameters ?? []);
  const tools = operations.map((operation, index) => fitToolRow(buildTool(converter, root, operation, names[index], defaultSecurity, omitted)));

  const info = readField(root, "info");
  const description = shortenText(readField(info, "description"), SPEC_DESCRIPTION_MAX_CHARS);
  const version = readField(info, "version");
  return {
    title: shortenText(readField(info, "title"), TITLE_MAX_CHARS) || "Untitled API",
    ...(description ? { description } : {}),
    ...(typeof version === "string" || typeof version === "number" ? { version: String(version) } : {}),
    baseUrl: options.baseUrl === undefined ? resolveBaseUrl(root.servers, options.specUrl) : overrideBaseUrl(options.baseUrl),
    securitySchemes: readSecuritySchemes(root),
    tools,
  };
}

/**
 * The document with only the paths the include / exclude globs keep (a shallow copy: the rest
 * is shared). Done before anything else reads `paths`, Swagger 2.0 conversion included.
 */
function selectPaths(document: JsonObject, filter: PathFilter): JsonObject {
  if (isEmptyFilter(filter) || !isObject(document.paths)) {
    // Still compile the globs, so a bad one is refused even when there is nothing to filter.
    if (!isEmptyFilter(filter)) filterPaths({}, filter);
    return document;
  }
  return { ...document, paths: filterPaths(document.paths, filter) };
}

/** The document in OpenAPI 3.x shape, and where its named schemas live; refuses versions we cannot read. */
function normaliseDocument(document: JsonObject): { root: JsonObject; schemasAt: string[] } {
  if (document.openapi !== undefined) {
    const version = versionText(document.openapi);
    // 3.2 only adds to 3.1 and what we read is unchanged; its new QUERY method and
    // `additionalOperations` are not HTTP_METHODS, so those operations are skipped.
    if (!/^3\.[012](\.|$)/.test(version)) {
      throw new SpecError(`OpenAPI ${version || "(no version)"} is not supported: import an OpenAPI 3.0, 3.1 or Swagger 2.0 spec.`);
    }
    return { root: document, schemasAt: ["components", "schemas"] };
  }
  if (document.swagger !== undefined) {
    const version = versionText(document.swagger);
    if (version !== "2.0") {
      throw new SpecError(`Swagger ${version || "(no version)"} is not supported: import a Swagger 2.0 or OpenAPI 3.x spec (convert older ones first).`);
    }
    return { root: convertSwagger2(document), schemasAt: ["definitions"] };
  }
  throw new SpecError("The document has neither an `openapi` nor a `swagger` field, so it is not an OpenAPI spec.");
}

/** Operation key → previous name, from stored tools whose invocation has a method and a path. */
function previousNames(tools: ReadonlyArray<{ name: string; invocation: unknown }>): Map<string, string> {
  const names = new Map<string, string>();
  for (const { name, invocation } of tools) {
    if (!isObject(invocation) || typeof invocation.method !== "string" || typeof invocation.path !== "string") continue;
    names.set(operationKey(invocation.method, invocation.path), name);
  }
  return names;
}

/** YAML reads `openapi: 3.1` as a number, and `3.0` as the number 3. */
function versionText(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(1) : String(value);
  return typeof value === "string" ? value.trim() : "";
}

function overrideBaseUrl(baseUrl: string): string {
  const normalised = normaliseBaseUrl(baseUrl);
  if (!normalised) throw new SpecError(`The base URL "${baseUrl}" is not an absolute http or https URL.`);
  return normalised;
}

function buildTool(converter: SchemaConverter, root: JsonObject, spec: SpecOperation, name: string, defaultSecurity: unknown, omitted: ReadonlySet<string>): OpenApiTool {
  const { method, path, operation } = spec;
  const input = buildInput(converter, root, omitted.size === 0 ? spec : { ...spec, parameters: spec.parameters.filter((parameter) => parameter.in === "path" || !omitted.has(parameter.name)) });
  return {
    name,
    description: describeOperation(operation, method, path),
    inputSchema: input.inputSchema,
    outputSchema: buildOutputSchema(converter, root, operation),
    defaultPolicy: SAFE_METHODS.has(method) ? "allow" : "approve",
    invocation: {
      method: method.toUpperCase(),
      path,
      parameters: input.parameters,
      ...(input.body ? { body: input.body } : {}),
      security: readSecurityRequirements(operation.security ?? defaultSecurity),
    },
  };
}

/** Summary, then the description unless it only repeats the summary; `METHOD /path` when the spec says nothing. */
function describeOperation(operation: JsonObject, method: string, path: string): string {
  const summary = shortenText(operation.summary, Number.MAX_SAFE_INTEGER);
  const description = shortenText(operation.description, Number.MAX_SAFE_INTEGER);
  let text: string;
  if (!description) text = summary;
  else if (!summary || description.startsWith(summary)) text = description;
  else text = `${/[.!?:]$/.test(summary) ? summary : `${summary}.`} ${description}`;
  return shortenText(text, TOOL_DESCRIPTION_MAX_CHARS) || `${method.toUpperCase()} ${path}`;
}
