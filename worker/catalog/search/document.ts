/**
 * What tool search knows of one tool: a `SearchDocument`, built from a stored tool by a pure
 * function. It keeps the text the ranker weighs, field by field (address words, summary,
 * description, HTTP method and path, parameter names), plus the two short lines a search
 * answer shows: the summary and a hint of the required arguments. Plain JSON, so it can be
 * stored beside the tool and the per-isolate index built without reading input schemas.
 * It does not tokenise or rank (ranker.ts).
 */

/** One tool as the search index sees it. Every field is plain, single-line text. */
export interface SearchDocument {
  address: string;
  integration: string;
  /** Group segments of the address between the integration and the name (`issues` in `github.issues.create`): the tag. */
  group: string;
  /** The last segment of the address (`createComment`). */
  name: string;
  /** The description's first sentence, as plain text: what an agent reads in a search answer. */
  summary: string;
  /** The rest of the description, as plain text. */
  description: string;
  /** Source-specific words for how the tool is called: `POST /repos/{owner}/{repo}/pulls`, `mutation createIssue`, an MCP tool name. */
  route: string;
  /** Argument names, the request body's properties and the values of small enums (`state`: `open closed all`), space-separated. */
  params: string;
  /** Required arguments in one line (`owner, repo, body: {title}, …`); `…` when optional ones exist, empty when there are none. */
  hint: string;
}

/** A stored tool, as far as search reads it. */
export interface SearchSource {
  address: string;
  integration: string;
  description: string;
  inputSchema: unknown;
  /** The source's own call data: OpenAPI `{method, path, ...}`, GraphQL `{operation, field, ...}`, MCP `{toolName}`; other shapes are ignored. */
  invocation: unknown;
}

/**
 * Bumped whenever `searchDocumentOf` would build a different document from the same tool, so
 * that stored documents can be rebuilt (from the tools' rows) when it changes.
 */
export const SEARCH_DOCUMENT_VERSION = 1;

/** The summary is cut to this many characters. */
export const SUMMARY_MAX_CHARS = 160;
/** The hint is cut to this many characters. */
export const HINT_MAX_CHARS = 100;
/** At most this many argument names are indexed (GitHub's largest bodies have about 60). */
const PARAMS_MAX = 40;
/** Enum values of top-level arguments are indexed when an enum is this small, and each this short: they are filter words (`open`, `closed`). */
const ENUM_MAX_VALUES = 8;
const ENUM_VALUE_MAX_CHARS = 30;

/** The search document of a stored tool. Pure; tolerates any `inputSchema` and `invocation`. */
export function searchDocumentOf(tool: SearchSource): SearchDocument {
  const segments = tool.address.split(".");
  const inIntegration = segments[0] === tool.integration ? segments.slice(1) : segments;
  const plain = plainText(tool.description);
  const [summary, description] = splitSummary(plain);
  const args = argumentsOf(tool.inputSchema);
  return {
    address: tool.address,
    integration: tool.integration,
    group: inIntegration.slice(0, -1).join(" "),
    name: inIntegration[inIntegration.length - 1] ?? "",
    summary,
    description,
    route: routeOf(tool.invocation),
    params: [...new Set([...args.names, ...args.bodyNames])].slice(0, PARAMS_MAX).concat(args.enumValues).join(" "),
    hint: args.hint,
  };
}

// --- private ---

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One line of text: tags, entities and Markdown markers out, whitespace collapsed. */
function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, " ")
    .replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;|&#39;|&rsquo;|&lsquo;/g, (entity) => ENTITIES[entity] ?? " ")
    .replace(/\[!(NOTE|WARNING|IMPORTANT|TIP|CAUTION)\]/g, " ")
    .replace(/[*_`>#]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const ENTITIES: Record<string, string> = { "&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&rsquo;": "'", "&lsquo;": "'" };

/** The first sentence (cut to SUMMARY_MAX_CHARS) and the rest. */
function splitSummary(text: string): [string, string] {
  const end = /[.!?](\s+|$)/.exec(text);
  const cut = end ? end.index + 1 : text.length;
  const first = text.slice(0, cut).trim();
  const rest = text.slice(cut).trim();
  if (first.length <= SUMMARY_MAX_CHARS) return [first, rest];
  const space = first.lastIndexOf(" ", SUMMARY_MAX_CHARS - 1);
  const head = first.slice(0, space > SUMMARY_MAX_CHARS / 2 ? space : SUMMARY_MAX_CHARS - 1);
  return [`${head}…`, `${first.slice(head.length)} ${rest}`.trim()];
}

function routeOf(invocation: unknown): string {
  if (!isObject(invocation)) return "";
  if (typeof invocation.method === "string" && typeof invocation.path === "string") return `${invocation.method.toUpperCase()} ${invocation.path}`;
  if ((invocation.operation === "query" || invocation.operation === "mutation") && typeof invocation.field === "string") return `${invocation.operation} ${invocation.field}`;
  if (typeof invocation.toolName === "string") return invocation.toolName.slice(0, 200);
  return "";
}

interface Arguments {
  names: string[];
  bodyNames: string[];
  enumValues: string[];
  hint: string;
}

/** Top-level argument names, the body's property names, and the hint line. */
function argumentsOf(inputSchema: unknown): Arguments {
  const schema = isObject(inputSchema) ? inputSchema : {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = requiredOf(schema);
  const names = Object.keys(properties);
  const bodySchema = resolveRef(schema, properties.body);
  const bodyNames = bodySchema && isObject(bodySchema.properties) ? Object.keys(bodySchema.properties) : [];
  const bodyRequired = bodySchema ? requiredOf(bodySchema) : [];
  const shown = (name: string) => (name === "body" && bodyRequired.length > 0 ? `body: {${bodyRequired.join(", ")}}` : name);
  const mandatory = names.filter((name) => required.includes(name)).map(shown);
  const optional = names.filter((name) => !required.includes(name)).map(shown);
  const enumValues = [...new Set(names.flatMap((name) => enumOf(schema, properties[name])))];
  return { names, bodyNames, enumValues, hint: hintLine(mandatory, optional) };
}

/** The values of a small string enum (or of an array of one). */
function enumOf(root: JsonObject, node: unknown): string[] {
  const schema = resolveRef(root, node);
  const values = schema && (Array.isArray(schema.enum) ? schema.enum : isObject(schema.items) && Array.isArray(schema.items.enum) ? schema.items.enum : undefined);
  if (!values || values.length > ENUM_MAX_VALUES) return [];
  return values.filter((value): value is string => typeof value === "string" && value.length <= ENUM_VALUE_MAX_CHARS);
}

function requiredOf(schema: JsonObject): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : [];
}

/** A `$ref` into the input schema's own `$defs`, followed once; anything else as it is. */
function resolveRef(root: JsonObject, node: unknown): JsonObject | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node.$ref !== "string") return node;
  const match = /^#\/\$defs\/(.+)$/.exec(node.$ref);
  const defs = isObject(root.$defs) ? root.$defs : {};
  const target = match ? defs[match[1]!.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return isObject(target) ? target : undefined;
}

/** `a, b; optional: c, d`, cut to HINT_MAX_CHARS at an argument with `…`. */
function hintLine(mandatory: string[], optional: string[]): string {
  const line = `${mandatory.join(", ")}${mandatory.length > 0 && optional.length > 0 ? "; " : ""}${optional.length > 0 ? `optional: ${optional.join(", ")}` : ""}`;
  if (line.length <= HINT_MAX_CHARS) return line;
  const cut = line.slice(0, HINT_MAX_CHARS - 1);
  const boundary = Math.max(cut.lastIndexOf(", "), cut.lastIndexOf("; "));
  return `${boundary > 0 ? cut.slice(0, boundary) : cut}…`;
}
