/**
 * Reading an OpenAPI source: fetch the spec (or take the pasted one), convert it, and shape
 * the integration row and tools to store. The conversion itself lives in sources/openapi.
 */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { guardedFetch, OutboundError } from "../outbound";
import { importOpenApi, parseSpecText, PathFilterError, SpecError, type OpenApiImport, type PathFilter } from "../sources";
import type { ToolInput } from "./store";
import type { PastedSpec } from "./pasted-spec";

/** A pasted spec may be 25 MB (docs/integrations.md). */
export const MAX_SPEC_BYTES = 25 * 1024 * 1024;

export interface OpenApiSource {
  imported: OpenApiImport;
  tools: ToolInput[];
}

/**
 * Reads and converts a spec from `url` or the pasted `spec` (text or object). `filter` keeps
 * a slice of its paths (include / exclude globs, applied before anything is converted);
 * `omitParameters` leaves out parameters that carry the credential.
 */
export async function readOpenApi(
  input: {
    url?: string;
    spec?: PastedSpec;
    baseUrl?: string;
    filter?: PathFilter;
    omitParameters?: readonly string[];
    previousTools?: ReadonlyArray<{ name: string; invocation: unknown }>;
  },
  config: Config,
): Promise<OpenApiSource> {
  const document = input.spec !== undefined ? pastedDocument(input.spec()) : parseSpec(await fetchSpecText(input.url!, config));
  let imported: OpenApiImport;
  try {
    imported = importOpenApi(document, {
      specUrl: input.url,
      baseUrl: input.baseUrl,
      previousTools: input.previousTools,
      ...input.filter,
      ...(input.omitParameters ? { omitParameters: input.omitParameters } : {}),
    });
  } catch (error) {
    // A glob that cannot be used is the caller's input, not the source's fault.
    if (error instanceof PathFilterError) throw new ExecutorError("invalid_request", error.message, { details: [{ field: error.field, problem: error.message }] });
    if (error instanceof SpecError) throw new ExecutorError("invalid_source", `Unusable OpenAPI document: ${error.message}`);
    throw error;
  }
  if (!imported.baseUrl) {
    throw new ExecutorError("invalid_source", "The spec names no server URL; pass baseUrl", { details: [{ field: "baseUrl", problem: "required for this spec" }] });
  }
  // An imported operation already has a stored tool's shape.
  const tools: ToolInput[] = imported.tools;
  return { imported, tools };
}

/** Fetches a document through the guarded client; failures become the errors of docs/api.md. */
export async function fetchSpecText(url: string, config: Config): Promise<string> {
  try {
    const response = await guardedFetch(
      { url, headers: { accept: "application/json, application/yaml, text/yaml, */*" } },
      { allowLocalNetwork: config.allowLocalNetwork, maxResponseBytes: MAX_SPEC_BYTES, timeoutMs: 30_000 },
    );
    if (response.status < 200 || response.status >= 300) throw new ExecutorError("invalid_source", `Fetching the spec answered HTTP ${response.status}`);
    return response.text();
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.reason === "invalid_url" || error.reason === "blocked_address") throw new ExecutorError("invalid_source", `Cannot fetch ${url}: ${error.message}`);
    if (error.reason === "too_large") throw new ExecutorError("invalid_source", `The spec at ${url} exceeds ${MAX_SPEC_BYTES / 1024 / 1024} MB`);
    throw new ExecutorError("upstream_unreachable", `Cannot fetch the spec: ${error.message}`);
  }
}

function pastedDocument(spec: unknown): unknown {
  if (typeof spec === "string") return parseSpec(spec);
  if (spec !== null && typeof spec === "object") return spec;
  throw new ExecutorError("invalid_request", "spec must be the document (JSON or YAML text, or an object)", { details: [{ field: "spec", problem: "invalid" }] });
}

function parseSpec(text: string): unknown {
  try {
    return parseSpecText(text);
  } catch (error) {
    if (error instanceof SpecError) throw new ExecutorError("invalid_source", `Unusable OpenAPI document: ${error.message}`);
    throw error;
  }
}
