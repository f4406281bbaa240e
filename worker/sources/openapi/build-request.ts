/**
 * One tool call as an HTTP request: path parameters substituted, query, header and cookie
 * parameters serialised by their OpenAPI style, the body encoded for its content type.
 * Arguments were already validated against the input schema. It does not add credentials,
 * `Accept` or any other header of its own beyond `content-type` and `cookie` (lower-case, as
 * the invoker merges its own into them), and it does not send anything.
 *
 * Supported styles: path `simple`; query `form`, `spaceDelimited`, `pipeDelimited` and
 * `deepObject`; header `simple`; cookie `form`. Path `label` and `matrix` are sent as `simple`.
 * A path parameter marked `allowReserved` keeps its slashes (reserved expansion, `{+name}`).
 * Bodies: JSON and form-urlencoded are encoded properly; multipart/form-data is built part by
 * part (files from base64, objects as JSON parts, scalars as text); a binary body is the
 * bytes of its base64; a string for a text-like type is sent as is; anything else is sent as
 * JSON.
 */
import { ExecutorError } from "../../errors";
import { baseMediaType } from "../../http";
import { BODY_ARG } from "./input-schema";
import { isObject } from "./json-value";
import { checkPathValue } from "./path-value";
import type { InvocationParameter, OpenApiInvocation } from "./tool";

/** What to hand to `fetch`. */
export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * The HTTP request for one call; args are already validated against inputSchema. `undefined`
 * and `null` arguments are left out. Throws `invalid_arguments` for a path value that would
 * leave the operation's path (see path-value.ts).
 */
export function buildRequest(invocation: OpenApiInvocation, baseUrl: string, args: Record<string, unknown>): HttpRequest {
  const valueOf = (arg: string) => (Object.hasOwn(args, arg) ? args[arg] : undefined);
  const pathParameters = new Map(invocation.parameters.filter((parameter) => parameter.in === "path").map((parameter) => [parameter.name, parameter]));
  const path = invocation.path.replace(/\{([^}]+)\}/g, (_placeholder, name: string) => {
    const parameter = pathParameters.get(name);
    const value = parameter ? valueOf(parameter.arg) : undefined;
    if (value === undefined || value === null) return "";
    const arg = parameter?.arg ?? name;
    const encode = parameter?.allowReserved ? (text: string) => reservedPathText(arg, text) : (text: string) => plainPathText(arg, text);
    return simpleValue(value, parameter?.explode === true, encode);
  });

  const query: string[] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const parameter of invocation.parameters) {
    const value = valueOf(parameter.arg);
    if (value === undefined || value === null) continue;
    if (parameter.in === "query") query.push(...queryPairs(parameter, value));
    else if (parameter.in === "header") headers[parameter.name] = simpleValue(value, parameter.explode === true, String);
    else if (parameter.in === "cookie") cookies.push(`${parameter.name}=${simpleValue(value, false, encodeURIComponent)}`);
  }
  if (cookies.length > 0) headers.cookie = cookies.join("; ");

  const url = joinUrl(baseUrl, path) + (query.length > 0 ? (path.includes("?") ? "&" : "?") + query.join("&") : "");
  const request: HttpRequest = { url, method: invocation.method, headers };
  const bodyValue = invocation.body ? valueOf(BODY_ARG) : undefined;
  if (invocation.body && bodyValue !== undefined) {
    const { contentType, body } = encodeBody(invocation.body, bodyValue);
    headers["content-type"] = contentType;
    request.body = body;
  }
  return request;
}

/** `https://api.example.com/v1` + `/pets` → `https://api.example.com/v1/pets`: the base URL's path is kept. */
function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, "") + (path.startsWith("/") ? path : `/${path}`);
}

/**
 * A plain path value is one segment: percent-encoded whole (a `/` in it stays data). `.` and
 * `..` (or their percent-encoded spellings) are refused: the URL parser would collapse them
 * and the request would reach another operation without that operation's policy.
 */
function plainPathText(arg: string, text: string): string {
  if (!checkPathValue(text, false).ok) throw pathValueError(arg, "be `.` or `..`");
  return encodeURIComponent(text);
}

/**
 * Reserved expansion: slashes stay separators, each segment is percent-encoded (so `?`, `#`
 * and `%` cannot end the path or smuggle an encoded dot). A dot or empty segment is refused:
 * `spaces/x/messages/..` would reach `spaces/x`, another operation without its policy.
 */
function reservedPathText(arg: string, text: string): string {
  const check = checkPathValue(text, true);
  if (!check.ok) {
    throw pathValueError(arg, `contain ${check.reason === "dot_segment" ? "a `.` or `..` segment" : "an empty segment (a leading, trailing or doubled `/`)"}`);
  }
  return text.split("/").map(encodeURIComponent).join("/");
}

/**
 * Style `simple`: arrays comma-joined; objects `k,v,k2,v2`, or `k=v,k2=v2` when exploded.
 * Path values are percent-encoded (a `/` inside a value must not become a path separator).
 */
function simpleValue(value: unknown, explode: boolean, encode: (text: string) => string): string {
  if (Array.isArray(value)) return value.map((item) => encode(scalarText(item))).join(",");
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined && item !== null);
    return entries.map(([key, item]) => (explode ? `${encode(key)}=${encode(scalarText(item))}` : `${encode(key)},${encode(scalarText(item))}`)).join(",");
  }
  return encode(scalarText(value));
}

/** Query pairs, already percent-encoded, for one parameter (style `form` unless the spec says otherwise). */
function queryPairs(parameter: InvocationParameter, value: unknown): string[] {
  const style = parameter.style ?? "form";
  const explode = parameter.explode ?? style === "form";
  const key = encodeURIComponent(parameter.name);
  const pair = (name: string, text: string) => `${name}=${encodeURIComponent(text)}`;
  if (style === "deepObject" && isObject(value)) return deepObjectPairs(key, value);
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined && item !== null).map(scalarText);
    if (items.length === 0) return [];
    if (explode && style === "form") return items.map((item) => pair(key, item));
    const separator = style === "spaceDelimited" ? "%20" : style === "pipeDelimited" ? "|" : ",";
    return [`${key}=${items.map(encodeURIComponent).join(separator)}`];
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined && item !== null);
    if (explode) return entries.map(([name, item]) => pair(encodeURIComponent(name), scalarText(item)));
    return [`${key}=${entries.map(([name, item]) => `${encodeURIComponent(name)},${encodeURIComponent(scalarText(item))}`).join(",")}`];
  }
  return [pair(key, scalarText(value))];
}

/** `filter[state]=open&filter[labels]=a&filter[labels]=b`; nested objects nest their brackets. */
function deepObjectPairs(prefix: string, value: Record<string, unknown>): string[] {
  const pairs: string[] = [];
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    const key = `${prefix}[${encodeURIComponent(name)}]`;
    if (isObject(item)) pairs.push(...deepObjectPairs(key, item));
    else if (Array.isArray(item)) pairs.push(...item.map((element) => `${key}=${encodeURIComponent(scalarText(element))}`));
    else pairs.push(`${key}=${encodeURIComponent(scalarText(item))}`);
  }
  return pairs;
}

function encodeBody(declared: NonNullable<OpenApiInvocation["body"]>, value: unknown): { contentType: string; body: string | Uint8Array } {
  const { contentType } = declared;
  const type = baseMediaType(contentType);
  if (declared.binary) return binaryBody(contentType, value);
  if (type === "multipart/form-data") return multipartBody(value, new Set(declared.files ?? []));
  if (type === "application/json" || /^application\/[^/]*\+json$/.test(type)) return { contentType, body: JSON.stringify(value) };
  if (type === "application/x-www-form-urlencoded") {
    if (!isObject(value)) return { contentType, body: scalarText(value) };
    const form = new URLSearchParams();
    for (const [name, item] of Object.entries(value)) {
      if (item === undefined || item === null) continue;
      if (Array.isArray(item)) item.forEach((element) => form.append(name, scalarText(element)));
      else form.append(name, scalarText(item));
    }
    return { contentType, body: form.toString() };
  }
  if (typeof value === "string") return { contentType, body: value };
  return { contentType: "application/json", body: JSON.stringify(value) };
}

/** The default media type of bytes whose type nobody gave. */
const OCTET_STREAM = "application/octet-stream";

/** A binary body: the bytes of `{base64}`, labelled with its `contentType`, else the operation's own (when it names one type), else octet-stream. */
function binaryBody(declaredType: string, value: unknown): { contentType: string; body: Uint8Array } {
  const file = fileInput(value, "/body");
  return { contentType: file.contentType ?? (declaredType.includes("*") ? OCTET_STREAM : declaredType), body: file.bytes };
}

/**
 * multipart/form-data (RFC 7578), built by hand so the bytes are exact: one part per field,
 * one per element of an array; a file field's parts carry a filename (the field name unless
 * given) and a content type; objects go as JSON parts, scalars as text. Names and filenames
 * are escaped as browsers do (`"` CR LF percent-encoded). The boundary is 128 random bits, so
 * no content can contain it by chance.
 */
function multipartBody(value: unknown, files: Set<string>): { contentType: string; body: Uint8Array } {
  if (!isObject(value)) throw bodyError("/body", "must be an object of form fields");
  const boundary = `----ExecutorBoundary${randomHex(16)}`;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const addPart = (name: string, content: Uint8Array, label: { filename?: string; contentType?: string } = {}) => {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(name)}"`;
    if (label.filename !== undefined) head += `; filename="${escapeQuoted(label.filename)}"`;
    head += label.contentType ? `\r\nContent-Type: ${label.contentType}\r\n\r\n` : "\r\n\r\n";
    chunks.push(encoder.encode(head), content, encoder.encode("\r\n"));
  };
  for (const [name, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    const items = Array.isArray(item) ? item : [item];
    items.forEach((element, index) => {
      if (element === undefined || element === null) return;
      if (files.has(name)) {
        const file = fileInput(element, Array.isArray(item) ? `/body/${name}/${index}` : `/body/${name}`);
        addPart(name, file.bytes, { filename: file.filename ?? name, contentType: file.contentType ?? OCTET_STREAM });
      } else if (isObject(element) || Array.isArray(element)) {
        addPart(name, encoder.encode(JSON.stringify(element)), { contentType: "application/json" });
      } else {
        addPart(name, encoder.encode(scalarText(element)));
      }
    });
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: concatBytes(chunks) };
}

/** A file argument `{base64, filename?, contentType?}` (`size` ignored), decoded. */
function fileInput(value: unknown, path: string): { bytes: Uint8Array; filename?: string; contentType?: string } {
  if (!isObject(value) || typeof value.base64 !== "string") throw bodyError(path, "must be an object with the bytes in base64: {base64, filename?, contentType?}");
  const { filename, contentType } = value;
  if (contentType !== undefined && (typeof contentType !== "string" || !/^[^\s/;]+\/[^\s/;]+( *;[\x20-\x7e]*)?$/.test(contentType))) {
    throw bodyError(`${path}/contentType`, "must be a media type such as image/png");
  }
  if (filename !== undefined && typeof filename !== "string") throw bodyError(`${path}/filename`, "must be a string");
  return { bytes: decodeBase64(value.base64, `${path}/base64`), filename, contentType };
}

/** Standard or URL-safe base64, padding optional. */
function decodeBase64(text: string, path: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    throw bodyError(path, "is not valid base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function escapeQuoted(text: string): string {
  return text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}

function bodyError(path: string, problem: string): ExecutorError {
  return new ExecutorError("invalid_arguments", `${path.slice(1).replace(/\//g, ".")} ${problem}`, { details: [{ path, problem }] });
}

/** Strings as they are, numbers and booleans as written in JSON, anything nested as JSON. */
function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

/** The argument names the field, never its value. */
function pathValueError(arg: string, what: string): ExecutorError {
  return new ExecutorError("invalid_arguments", `${arg} must not ${what}: as a path value it would reach another operation`, { details: [{ path: `/${arg}`, problem: `must not ${what}` }] });
}
