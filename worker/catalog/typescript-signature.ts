/**
 * Renders JSON Schema as compact TypeScript for agents to read: `tools.describe(address)`
 * shows a tool as `(args: { ... }) => Promise<{ ... }>`, which costs far fewer tokens than
 * the schema and is a notation models already know.
 *
 * Pure: plain data in, one string out, always a single valid TypeScript type expression.
 * It resolves only local `$ref`s (JSON pointers into the root schema). It does not fetch
 * remote refs, validate values, or emit declarations: a recursive ref is shown by its
 * name and is not defined. Schemas come from upstream APIs and are untrusted, so the work
 * is capped (object depth, node budget, output length) and descriptions are neutralised.
 */

/** A JSON Schema (draft 4 to 2020-12, or an OpenAPI 3.0 schema object). */
export type JsonSchema = boolean | { [key: string]: unknown };

export interface SignatureOptions {
  /** Object nesting levels expanded before an object collapses to `Record<string, unknown>`. Default 6. */
  maxDepth?: number;
  /** Most characters the rendered text may have; deeper levels collapse first until it fits. Default 4000. */
  maxLength?: number;
  /**
   * A tighter depth for the result type only (renderSignature). An agent needs the shape of
   * what it sends exactly, but usually only the top of what comes back; the full output
   * schema is still in `describe`'s `output`.
   */
  outputMaxDepth?: number;
}

/** Object nesting levels expanded when no `maxDepth` is given. */
export const DEFAULT_MAX_DEPTH = 6;
/** Length cap, in characters, when no `maxLength` is given. */
export const DEFAULT_MAX_LENGTH_CHARS = 4_000;
/** A property's description is cut to this many characters, on one line. */
export const DESCRIPTION_MAX_CHARS = 80;

/**
 * Schema nodes one rendering may visit, per character of allowed output. Shared refs can
 * make a small schema expand exponentially; past the budget we collapse a level instead.
 */
const NODES_PER_OUTPUT_CHAR = 2;
const MIN_NODE_BUDGET = 1_000;
/** Nesting of schema nodes (not only objects) beyond which we stop, so hostile input cannot exhaust the stack. */
const MAX_PATH_NODES = 200;

const OPEN_OBJECT = "Record<string, unknown>";
const UNION_KEYWORDS = ["anyOf", "oneOf"];
const SIGNATURE_FALLBACK = "(args: unknown) => Promise<unknown>";
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Words a bare type name may not be: JS reserved words, and TS type keywords it would be mistaken for. */
const RESERVED_TYPE_NAMES = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with any unknown never string number boolean bigint symbol object undefined keyof infer readonly unique"
  ).split(" "),
);

/**
 * The TypeScript function type for a tool, e.g. for `github.issues.create`:
 * `(args: { owner: string; repo: string; title: string; body?: string; labels?: string[] }) => Promise<{ id: number; html_url: string }>`.
 * Input properties carry their descriptions as short `/** ... *\/` comments; the output
 * type has none. Each schema is its own root for `$ref`s. `address` names the tool for the
 * caller, who prints it beside the signature; it is not part of the type.
 */
export function renderSignature(
  address: string,
  input: JsonSchema | undefined,
  output: JsonSchema | undefined,
  options?: SignatureOptions,
): string {
  const { maxDepth, maxLength } = readOptions(options);
  const inputRefs = new Map<string, JsonSchema | undefined>();
  const outputRefs = new Map<string, JsonSchema | undefined>();
  const fitted = fitWithin(maxDepth, maxLength, true, (depth, comments) => {
    const args = renderRoot(input, input, inputRefs, { maxDepth: depth, maxLength, comments });
    const outputDepth = options?.outputMaxDepth === undefined ? depth : Math.min(depth, options.outputMaxDepth);
    const result = renderRoot(output, output, outputRefs, { maxDepth: outputDepth, maxLength, comments: false });
    return {
      text: `(args: ${args.text}) => Promise<${result.text}>`,
      overflow: args.overflow || result.overflow,
      levels: Math.max(args.levels, result.levels),
    };
  });
  return fitted ?? SIGNATURE_FALLBACK;
}

/**
 * The TypeScript type expression for one schema, without comments. `$ref`s resolve against
 * `root` (default: the schema itself), so an OpenAPI document can be passed as the root.
 */
export function renderType(schema: JsonSchema | undefined, options?: SignatureOptions & { root?: JsonSchema }): string {
  const { maxDepth, maxLength } = readOptions(options);
  const root = options?.root ?? schema;
  const refs = new Map<string, JsonSchema | undefined>();
  const fitted = fitWithin(maxDepth, maxLength, false, (depth) =>
    renderRoot(schema, root, refs, { maxDepth: depth, maxLength, comments: false }),
  );
  return fitted ?? "unknown";
}

type Precedence = "union" | "intersection" | "atom";

/** A type expression and how loosely it binds, so callers know when to parenthesise it. */
interface Rendered {
  text: string;
  precedence: Precedence;
}

interface Attempt {
  text: string;
  /** The budget ran out or some part grew past maxLength; the text is incomplete. */
  overflow: boolean;
  /** Deepest object level expanded; a maxDepth at or above it renders the same text. */
  levels: number;
}

interface Limits {
  maxDepth: number;
  maxLength: number;
  comments: boolean;
}

interface Walk extends Limits {
  root: JsonSchema | undefined;
  /** Schema objects on the current path: a ref to one of them is a cycle. */
  onPath: Set<object>;
  /** Resolved refs; schemas repeat the same few refs many times. */
  refs: Map<string, JsonSchema | undefined>;
  nodesLeft: number;
  overflow: boolean;
  levels: number;
}

const UNKNOWN: Rendered = atom("unknown");
const NEVER: Rendered = atom("never");
const NULL: Rendered = atom("null");

function readOptions(options: SignatureOptions | undefined): { maxDepth: number; maxLength: number } {
  const maxDepth = options?.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH_CHARS;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new TypeError(`maxDepth must be an integer >= 0, got ${maxDepth}`);
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new TypeError(`maxLength must be an integer >= 1, got ${maxLength}`);
  return { maxDepth, maxLength };
}

/**
 * Renders at decreasing depth until the text fits: deeper levels collapse first, then
 * descriptions go, then everything collapses. Returns undefined when nothing fits.
 */
function fitWithin(
  maxDepth: number,
  maxLength: number,
  comments: boolean,
  render: (depth: number, comments: boolean) => Attempt,
): string | undefined {
  const fits = (attempt: Attempt) => !attempt.overflow && attempt.text.length <= maxLength;
  const floor = Math.min(1, maxDepth);
  for (let depth = maxDepth; depth >= floor; ) {
    const attempt = render(depth, comments);
    if (fits(attempt)) return attempt.text;
    // Depths above the levels actually reached would render the same text again.
    depth = Math.min(depth, attempt.levels) - 1;
  }
  const lastResorts: Array<[number, boolean]> = comments ? [[floor, false]] : [];
  if (floor > 0) lastResorts.push([0, false]);
  for (const [depth, withComments] of lastResorts) {
    const attempt = render(depth, withComments);
    if (fits(attempt)) return attempt.text;
  }
  return undefined;
}

function renderRoot(
  schema: JsonSchema | undefined,
  root: JsonSchema | undefined,
  refs: Map<string, JsonSchema | undefined>,
  limits: Limits,
): Attempt {
  const walk: Walk = {
    ...limits,
    root,
    onPath: new Set(),
    refs,
    nodesLeft: Math.max(MIN_NODE_BUDGET, limits.maxLength * NODES_PER_OUTPUT_CHAR),
    overflow: false,
    levels: 0,
  };
  const { text } = renderSchema(schema, 0, walk);
  return { text, overflow: walk.overflow, levels: walk.levels };
}

function renderSchema(schema: unknown, depth: number, walk: Walk): Rendered {
  if (schema === undefined || schema === true) return UNKNOWN;
  if (schema === false) return NEVER;
  if (!isSchemaObject(schema) || walk.overflow) return UNKNOWN;
  if (walk.nodesLeft-- <= 0) {
    walk.overflow = true;
    return UNKNOWN;
  }
  if (walk.onPath.has(schema) || walk.onPath.size >= MAX_PATH_NODES) return UNKNOWN;
  walk.onPath.add(schema);
  const rendered = renderParts(schema, depth, walk);
  walk.onPath.delete(schema);
  if (rendered.text.length > walk.maxLength) walk.overflow = true;
  return rendered;
}

/** A schema is the intersection of its ref, its own type, and its combinators. */
function renderParts(schema: { [key: string]: unknown }, depth: number, walk: Walk): Rendered {
  const parts: Rendered[] = [];
  if (typeof schema.$ref === "string") parts.push(renderRef(schema.$ref, depth, walk));
  if ("const" in schema) parts.push(literalUnion([schema.const]));
  else if (Array.isArray(schema.enum)) parts.push(literalUnion(schema.enum));
  else {
    const typed = renderTyped(schema, depth, walk);
    if (typed) parts.push(typed);
  }
  for (const key of UNION_KEYWORDS) {
    const members = schema[key];
    if (Array.isArray(members)) parts.push(union(members.map((member) => renderSchema(member, depth, walk))));
  }
  if (Array.isArray(schema.allOf)) {
    for (const member of schema.allOf) parts.push(renderSchema(member, depth, walk));
  }
  const whole = intersection(parts);
  return schema.nullable === true ? union([whole, NULL]) : whole;
}

function renderRef(ref: string, depth: number, walk: Walk): Rendered {
  let target = walk.refs.get(ref);
  if (!walk.refs.has(ref)) {
    target = resolveLocalRef(walk.root, ref);
    walk.refs.set(ref, target);
  }
  if (target === undefined) return UNKNOWN;
  if (isSchemaObject(target) && walk.onPath.has(target)) return atom(typeNameFromRef(ref));
  return renderSchema(target, depth, walk);
}

function renderTyped(schema: { [key: string]: unknown }, depth: number, walk: Walk): Rendered | undefined {
  const types =
    typeof schema.type === "string"
      ? [schema.type]
      : Array.isArray(schema.type)
        ? schema.type.filter((type): type is string => typeof type === "string")
        : impliedTypes(schema);
  if (types.length === 0) return undefined;
  if (types.length === 1) return renderOfType(types[0], schema, depth, walk);
  return union(types.map((type) => renderOfType(type, schema, depth, walk)));
}

/** Schemas often leave out `type` when the keywords make it plain. */
function impliedTypes(schema: { [key: string]: unknown }): string[] {
  if ("properties" in schema || "additionalProperties" in schema || "patternProperties" in schema) return ["object"];
  if ("items" in schema || "prefixItems" in schema) return ["array"];
  return [];
}

function renderOfType(type: string, schema: { [key: string]: unknown }, depth: number, walk: Walk): Rendered {
  switch (type) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return atom(type);
    case "integer":
      return atom("number");
    case "array":
      return renderArray(schema, depth, walk);
    case "object":
      return renderObject(schema, depth, walk);
    default:
      return UNKNOWN;
  }
}

function renderArray(schema: { [key: string]: unknown }, depth: number, walk: Walk): Rendered {
  // 2020-12 spells a tuple `prefixItems` (+ `items` for the rest); earlier drafts use an
  // `items` array (+ `additionalItems`). Without a rest schema we show a closed tuple:
  // strictly the tuple is open, but fixed length is the usual intent and reads shorter.
  const modern = Array.isArray(schema.prefixItems);
  const prefix = modern ? (schema.prefixItems as unknown[]) : Array.isArray(schema.items) ? schema.items : undefined;
  if (!prefix) return atom(arrayOf(renderSchema(schema.items, depth, walk)));
  const elements = prefix.map((item) => renderSchema(item, depth, walk).text);
  const rest = modern ? schema.items : schema.additionalItems;
  if (rest !== undefined && rest !== false) elements.push(`...${arrayOf(renderSchema(rest, depth, walk))}`);
  return atom(`[${elements.join(", ")}]`);
}

function renderObject(schema: { [key: string]: unknown }, depth: number, walk: Walk): Rendered {
  const properties = isSchemaObject(schema.properties) ? schema.properties : {};
  const keys = Object.keys(properties);
  const extra = schema.additionalProperties;
  if (keys.length === 0) {
    if (extra === false) return atom("Record<string, never>");
    if (!isSchemaObject(extra)) return atom(OPEN_OBJECT);
    return atom(`Record<string, ${renderSchema(extra, depth + 1, walk).text}>`);
  }
  if (depth >= walk.maxDepth) return atom(OPEN_OBJECT);
  walk.levels = Math.max(walk.levels, depth + 1);
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const members: string[] = [];
  let length = 0;
  for (const key of keys) {
    const value = properties[key];
    const comment = walk.comments ? docComment(value) : "";
    const member = `${comment}${propertyName(key)}${required.has(key) ? "" : "?"}: ${renderSchema(value, depth + 1, walk).text}`;
    length += member.length + 2;
    if (length > walk.maxLength) {
      walk.overflow = true;
      break;
    }
    members.push(member);
  }
  if (isSchemaObject(extra)) {
    // `additionalProperties: {}` says no more than leaving it out, so it costs no tokens.
    const extraType = renderSchema(extra, depth + 1, walk).text;
    if (extraType !== UNKNOWN.text) members.push(`[key: string]: ${extraType}`);
  }
  return atom(`{ ${members.join("; ")} }`);
}

/**
 * A one-line `/** ... *\/ ` comment for a property, or "". Descriptions come from upstream
 * APIs: a `*\/` inside one would close the comment and let the rest read as TypeScript,
 * so it is broken up, and newlines are folded so the comment stays on one line.
 */
function docComment(schema: unknown): string {
  if (!isSchemaObject(schema) || typeof schema.description !== "string") return "";
  let text = schema.description.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  if (text === "") return "";
  if (text.length > DESCRIPTION_MAX_CHARS) {
    text = `${text.slice(0, DESCRIPTION_MAX_CHARS - 1).replace(/[\uD800-\uDBFF]$/, "").trimEnd()}…`;
  }
  return `/** ${text.replaceAll("*/", "*\\/")} */ `;
}

function propertyName(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** `enum`/`const` values as literal types; JSON text is valid TypeScript literal type syntax. */
function literalUnion(values: unknown[]): Rendered {
  const literals = values.map((value) => JSON.stringify(value)).filter((text): text is string => text !== undefined);
  return union(literals.map(atom));
}

function union(members: Rendered[]): Rendered {
  if (members.length === 1) return members[0];
  if (members.some((member) => member.text === UNKNOWN.text)) return UNKNOWN;
  const texts = distinct(members.filter((member) => member.text !== NEVER.text).map((member) => member.text));
  if (texts.length === 0) return NEVER;
  if (texts.length === 1) return members.find((member) => member.text === texts[0])!;
  return { text: texts.join(" | "), precedence: "union" };
}

function intersection(parts: Rendered[]): Rendered {
  if (parts.length === 1) return parts[0];
  let kept = parts.filter((part) => part.text !== UNKNOWN.text);
  if (kept.some((part) => part.text === NEVER.text)) return NEVER;
  // `type: "object"` beside a ref or combinator adds nothing the other part does not say.
  if (kept.length > 1) kept = kept.filter((part) => part.text !== OPEN_OBJECT);
  const distinctParts = kept.filter((part, index) => kept.findIndex((other) => other.text === part.text) === index);
  if (distinctParts.length === 0) return UNKNOWN;
  if (distinctParts.length === 1) return distinctParts[0];
  const texts = distinctParts.map((part) => (part.precedence === "union" ? `(${part.text})` : part.text));
  return { text: texts.join(" & "), precedence: "intersection" };
}

function arrayOf(element: Rendered): string {
  return element.precedence === "atom" ? `${element.text}[]` : `(${element.text})[]`;
}

function atom(text: string): Rendered {
  return { text, precedence: "atom" };
}

function distinct(texts: string[]): string[] {
  return [...new Set(texts)];
}

/** Follows a local ref (`#`, `#/$defs/X`, `#/components/schemas/X`); anything else is unresolvable. */
function resolveLocalRef(root: JsonSchema | undefined, ref: string): JsonSchema | undefined {
  const segments = pointerSegments(ref);
  if (!segments) return undefined;
  let node: unknown = root;
  for (const segment of segments) {
    // Own properties only: a pointer must not reach `__proto__` or `constructor`.
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return typeof node === "boolean" || isSchemaObject(node) ? node : undefined;
}

/** The unescaped segments of a local JSON-pointer ref (RFC 6901: `~1` before `~0`), or undefined. */
function pointerSegments(ref: string): string[] | undefined {
  if (!ref.startsWith("#")) return undefined;
  let fragment = ref.slice(1);
  try {
    if (fragment.includes("%")) fragment = decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
  if (fragment === "") return [];
  if (!fragment.startsWith("/")) return undefined;
  return fragment
    .slice(1)
    .split("/")
    .map((segment) => (segment.includes("~") ? segment.replaceAll("~1", "/").replaceAll("~0", "~") : segment));
}

/** The name shown for a recursive ref: its last segment as an identifier (`Root` for `#`). */
function typeNameFromRef(ref: string): string {
  const last = pointerSegments(ref)?.at(-1) ?? "";
  let name = last.replace(/[^A-Za-z0-9_$]/g, "_");
  if (name === "") return "Root";
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return RESERVED_TYPE_NAMES.has(name) ? `${name}_` : name;
}

function isSchemaObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
