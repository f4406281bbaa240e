/**
 * Reading a Google source: fetch the Discovery document (or take the pasted one) and convert
 * it; the conversion itself lives in sources/google. The document is fetched through the
 * guarded client like any spec; what it may call is checked by the converter (https
 * googleapis.com only, so Google tokens go nowhere else).
 */
import type { Config } from "../config";
import { ExecutorError } from "../errors";
import { importGoogleDiscovery, SpecError, type GoogleImport } from "../sources";
import { fetchSpecText } from "./openapi";
import type { ToolInput } from "./store";
import type { PastedSpec } from "./pasted-spec";

/** A Discovery document read and converted. */
export interface GoogleSource {
  imported: GoogleImport;
  tools: ToolInput[];
}

/** Reads and converts a Discovery document from `url` or the pasted `spec` (JSON text or object). */
export async function readGoogle(input: { url?: string; spec?: PastedSpec }, config: Config): Promise<GoogleSource> {
  const document = input.spec !== undefined ? pasted(input.spec()) : parseJson(await fetchSpecText(input.url!, config));
  let imported: GoogleImport;
  try {
    imported = importGoogleDiscovery(document);
  } catch (error) {
    if (error instanceof SpecError) throw new ExecutorError("invalid_source", `Unusable Google Discovery document: ${error.message}`);
    throw error;
  }
  return { imported, tools: imported.tools };
}

function pasted(spec: unknown): unknown {
  if (typeof spec === "string") return parseJson(spec);
  if (spec !== null && typeof spec === "object") return spec;
  throw new ExecutorError("invalid_request", "spec must be the Discovery document (JSON text or an object)", { details: [{ field: "spec", problem: "invalid" }] });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ExecutorError("invalid_source", "The Discovery document is not JSON");
  }
}
