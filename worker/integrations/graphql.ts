/**
 * Reading a GraphQL source: introspect the endpoint, or take a pasted schema, or read a
 * published one from `schemaUrl` (for services that answer introspection only with
 * credentials). A schema is an introspection result (JSON) or SDL.
 */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { guardedFetch, OutboundError } from "../outbound";
import { GraphqlSchemaError, importGraphql, INTROSPECTION_QUERY, introspectionFromSdl } from "../sources";
import { fetchSpecText, MAX_SPEC_BYTES } from "./openapi";
import type { ToolInput } from "./store";
import type { PastedSpec } from "./pasted-spec";

/** The endpoint's tools, from its introspection. */
export async function readGraphql(input: { url: string; spec?: PastedSpec; schemaUrl?: string; headers: Record<string, string> }, config: Config): Promise<ToolInput[]> {
  try {
    let introspection: unknown;
    if (input.spec !== undefined) introspection = pasted(input.spec());
    else if (input.schemaUrl !== undefined) introspection = pasted(await fetchSpecText(input.schemaUrl, config));
    else introspection = await introspect(input.url, input.headers, config);
    return importGraphql(introspection).tools;
  } catch (error) {
    if (error instanceof GraphqlSchemaError) throw new ExecutorError("invalid_source", `Unusable GraphQL schema: ${error.message}`);
    throw error;
  }
}

async function introspect(url: string, headers: Record<string, string>, config: Config): Promise<unknown> {
  let response;
  try {
    response = await guardedFetch(
      { url, method: "POST", headers: { "content-type": "application/json", accept: "application/json", ...headers }, body: JSON.stringify({ query: INTROSPECTION_QUERY }) },
      { allowLocalNetwork: config.allowLocalNetwork, maxResponseBytes: MAX_SPEC_BYTES, timeoutMs: 30_000, credentials: { origin: new URL(url).origin, headers: Object.keys(headers), queryParams: [] } },
    );
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    if (error.reason === "invalid_url" || error.reason === "blocked_address") throw new ExecutorError("invalid_source", `Cannot reach ${url}: ${error.message}`);
    throw new ExecutorError("upstream_unreachable", `Cannot introspect ${url}: ${error.message}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new ExecutorError("invalid_source", `${url} refused the introspection (HTTP ${response.status}): add it with auth`);
  }
  try {
    return response.json();
  } catch {
    throw new ExecutorError("invalid_source", `${url} did not answer the introspection query with JSON (HTTP ${response.status})`);
  }
}

/** An introspection result as given, or from text: JSON, else SDL. */
function pasted(spec: unknown): unknown {
  if (typeof spec !== "string") return spec;
  const text = spec.trim();
  if (text.startsWith("{")) {
    try {
      return JSON.parse(text);
    } catch {
      throw new ExecutorError("invalid_source", "The schema looks like JSON but does not parse");
    }
  }
  return introspectionFromSdl(text);
}
