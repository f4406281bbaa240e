/**
 * Reads and sets string values in JSONC text (wrangler.jsonc) by path, editing only the
 * characters of that one value so comments, key order and formatting survive.
 * Pure: text in, text out. It does not re-serialise the file, and it edits strings only.
 */

/**
 * One step of a path: an object key, an array index, or the array element (an object) whose
 * property `key` is the string `equals`, e.g. `{ key: "binding", equals: "DB" }`.
 */
export type JsoncPathSegment = string | number | { key: string; equals: string };

/** The string at `path`, or undefined when the path is missing or holds another type. */
export function readJsoncString(text: string, path: readonly JsoncPathSegment[]): string | undefined {
  const node = resolvePath(parseJsonc(text), path);
  return node?.kind === "literal" && typeof node.value === "string" ? node.value : undefined;
}

/**
 * `text` with the string at `path` set to `value`; the very same string when it already holds
 * that value. A missing last key is added to its object, after the last property and with its
 * indentation. Throws when the path's parent is missing or the target is not a string.
 */
export function setJsoncString(text: string, path: readonly JsoncPathSegment[], value: string): string {
  if (path.length === 0) throw new Error("setJsoncString needs a path");
  const root = parseJsonc(text);
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = resolvePath(root, parentPath);
  if (parent === undefined) throw new Error(`no ${describePath(parentPath)} in the file`);
  const encoded = JSON.stringify(value);

  const target = resolvePath(parent, [key]);
  if (target !== undefined) {
    if (target.kind !== "literal" || typeof target.value !== "string") {
      throw new Error(`${describePath(path)} is not a string`);
    }
    if (target.value === value) return text;
    return splice(text, target.start, target.end, encoded);
  }
  if (parent.kind !== "object" || typeof key !== "string") {
    throw new Error(`no ${describePath(path)} in the file`);
  }
  return insertProperty(text, parent, `${JSON.stringify(key)}: ${encoded}`);
}

type JsoncNode =
  | { kind: "object"; start: number; end: number; props: JsoncProperty[] }
  | { kind: "array"; start: number; end: number; items: JsoncNode[] }
  | { kind: "literal"; start: number; end: number; value: unknown };

interface JsoncProperty {
  key: string;
  keyStart: number;
  value: JsoncNode;
  /** Offset of the comma after the value, or -1 (last property without a trailing comma). */
  comma: number;
}

function resolvePath(root: JsoncNode, path: readonly JsoncPathSegment[]): JsoncNode | undefined {
  let node: JsoncNode | undefined = root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = step(node, segment);
  }
  return node;
}

function step(node: JsoncNode, segment: JsoncPathSegment): JsoncNode | undefined {
  if (typeof segment === "string") {
    if (node.kind !== "object") return undefined;
    // Like JSON.parse, the last of duplicate keys wins.
    return node.props.findLast((prop) => prop.key === segment)?.value;
  }
  if (node.kind !== "array") return undefined;
  if (typeof segment === "number") return node.items[segment];
  return node.items.find(
    (item) =>
      item.kind === "object" &&
      item.props.some((prop) => prop.key === segment.key && prop.value.kind === "literal" && prop.value.value === segment.equals),
  );
}

/** Adds `property` after the object's last property (or into `{}`), matching the layout around it. */
function insertProperty(text: string, object: Extract<JsoncNode, { kind: "object" }>, property: string): string {
  const last = object.props[object.props.length - 1];
  if (last === undefined) {
    const inside = text.slice(object.start + 1, object.end - 1);
    return inside.trim() === ""
      ? splice(text, object.start + 1, object.end - 1, ` ${property} `)
      : splice(text, object.start + 1, object.start + 1, ` ${property}`);
  }

  const afterValue = last.comma === -1 ? last.value.end : last.comma + 1;
  const closingOnSameLine = !text.slice(afterValue, object.end).includes("\n");
  if (closingOnSameLine) {
    return splice(text, afterValue, afterValue, `${last.comma === -1 ? "," : ""} ${property}`);
  }
  const lineStart = text.lastIndexOf("\n", last.keyStart - 1) + 1;
  const indent = text.slice(lineStart, last.keyStart).match(/^[ \t]*/)?.[0] ?? "";
  // After a trailing `// comment` on the last property's line, not inside it.
  const rest = text.slice(afterValue);
  const lineComment = rest.match(/^[ \t]*\/\/[^\n]*/)?.[0] ?? "";
  const at = afterValue + lineComment.length;
  const withComma = last.comma === -1 ? splice(text, last.value.end, last.value.end, ",") : text;
  const shift = last.comma === -1 ? 1 : 0;
  return splice(withComma, at + shift, at + shift, `\n${indent}${property}`);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function describePath(path: readonly JsoncPathSegment[]): string {
  if (path.length === 0) return "root value";
  return path
    .map((segment) => (typeof segment === "object" ? `[${segment.key}=${segment.equals}]` : typeof segment === "number" ? `[${segment}]` : segment))
    .join(".")
    .replace(/\.\[/g, "[");
}

/** A small JSONC parser (comments, trailing commas) that keeps every value's offsets. */
function parseJsonc(text: string): JsoncNode {
  let pos = 0;
  const root = parseValue();
  skipTrivia();
  if (pos < text.length) fail("unexpected content after the top-level value");
  return root;

  function fail(what: string): never {
    const line = text.slice(0, pos).split("\n").length;
    throw new Error(`invalid JSONC at line ${line}: ${what}`);
  }

  function skipTrivia(): void {
    for (;;) {
      const rest = text.slice(pos, pos + 2);
      if (/^\s/.test(rest)) pos++;
      else if (rest === "//") {
        const end = text.indexOf("\n", pos);
        pos = end === -1 ? text.length : end;
      } else if (rest === "/*") {
        const end = text.indexOf("*/", pos + 2);
        if (end === -1) fail("unterminated comment");
        pos = end + 2;
      } else return;
    }
  }

  function parseValue(): JsoncNode {
    skipTrivia();
    const ch = text[pos];
    if (ch === "{") return parseObject();
    if (ch === "[") return parseArray();
    if (ch === '"') return parseString();
    const literal = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = pos;
    const match = literal.exec(text);
    if (match === null) fail(ch === undefined ? "unexpected end of file" : `unexpected ${JSON.stringify(ch)}`);
    const start = pos;
    pos += match[0].length;
    return { kind: "literal", start, end: pos, value: JSON.parse(match[0]) };
  }

  function parseString(): Extract<JsoncNode, { kind: "literal" }> {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === "\n") fail("newline in a string");
      pos += text[pos] === "\\" ? 2 : 1;
    }
    if (pos >= text.length) fail("unterminated string");
    pos++;
    return { kind: "literal", start, end: pos, value: JSON.parse(text.slice(start, pos)) };
  }

  function parseObject(): JsoncNode {
    const start = pos++;
    const props: JsoncProperty[] = [];
    for (;;) {
      skipTrivia();
      if (text[pos] === "}") break;
      if (text[pos] !== '"') fail("expected a property name");
      const keyStart = pos;
      const key = parseString().value as string;
      skipTrivia();
      if (text[pos] !== ":") fail("expected ':'");
      pos++;
      const value = parseValue();
      skipTrivia();
      const comma = text[pos] === "," ? pos++ : -1;
      props.push({ key, keyStart, value, comma });
      if (comma === -1) {
        skipTrivia();
        if (text[pos] !== "}") fail("expected ',' or '}'");
        break;
      }
    }
    pos++;
    return { kind: "object", start, end: pos, props };
  }

  function parseArray(): JsoncNode {
    const start = pos++;
    const items: JsoncNode[] = [];
    for (;;) {
      skipTrivia();
      if (text[pos] === "]") break;
      items.push(parseValue());
      skipTrivia();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== "]") fail("expected ',' or ']'");
    }
    pos++;
    return { kind: "array", start, end: pos, items };
  }
}
