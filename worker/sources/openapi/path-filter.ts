/**
 * Include / exclude globs on a spec's path templates, so a large spec (Microsoft Graph, a
 * cloud provider's) can be imported a slice at a time: the filter runs on `paths` before any
 * operation is converted, so the work and the memory of the conversion scale with the slice.
 * It does not reduce the cost of parsing the document, and it does not look at methods,
 * tags or operationIds.
 *
 * Globs, matched against the whole template, segment by segment, case-sensitively:
 * - a glob starts with `/` and has no empty segment (`//`, or a trailing `/` after a segment);
 * - `*` matches any run of characters inside one segment (`/me/messages*` matches
 *   `/me/messages` and `/me/messagesDelta`, not `/me/messages/{id}`);
 * - `**` as a whole segment matches zero or more segments (`/me/drive/**` matches `/me/drive`
 *   and everything below it); elsewhere in a segment it is refused;
 * - a segment `{anything}` matches any segment of the template that is one placeholder, whatever
 *   its name (`/users/{id}/events/**` matches `/users/{user-id}/events/{event-id}`);
 * - every other character stands for itself.
 * A path is kept when it matches some include glob (or no include is given, or the list is
 * empty) and no exclude glob.
 */
import { SpecError } from "./spec-error";

export interface PathFilter {
  /** Keep only paths matching at least one of these globs; absent or empty keeps every path. */
  include?: string[];
  /** Drop paths matching any of these globs, even when included. */
  exclude?: string[];
}

/** A segment that is one placeholder, `{name}`. */
const PLACEHOLDER = /^\{[^{}/]+\}$/;

/** A glob longer than this, or more globs than `MAX_GLOBS` in one list, is refused. */
export const MAX_GLOB_CHARS = 500;
export const MAX_GLOBS = 100;

/** Thrown for a glob that cannot be used; `field` and `glob` say which one. */
export class PathFilterError extends SpecError {
  constructor(
    readonly field: "include" | "exclude",
    readonly glob: string,
    problem: string,
  ) {
    super(`The ${field} path glob "${glob.slice(0, 100)}" is not usable: ${problem}.`);
    this.name = "PathFilterError";
  }
}

/** Compiles the filter once; the result answers whether a path template is kept. Throws PathFilterError. */
export function compilePathFilter(filter: PathFilter): (path: string) => boolean {
  const include = compileList("include", filter.include);
  const exclude = compileList("exclude", filter.exclude);
  return (path) => {
    const segments = path.split("/").slice(1);
    if (include.length > 0 && !include.some((glob) => matchSegments(glob, segments))) return false;
    return !exclude.some((glob) => matchSegments(glob, segments));
  };
}

/** `paths` with only the entries the filter keeps, in their order; the input is not changed. */
export function filterPaths(paths: Record<string, unknown>, filter: PathFilter): Record<string, unknown> {
  const keeps = compilePathFilter(filter);
  return Object.fromEntries(Object.entries(paths).filter(([path]) => keeps(path)));
}

/** Whether the filter would keep every path as it is (so importing need not copy anything). */
export function isEmptyFilter(filter: PathFilter): boolean {
  return (filter.include ?? []).length === 0 && (filter.exclude ?? []).length === 0;
}

/** One glob segment: `**`, a placeholder, or text with `*` wildcards. */
type GlobSegment = { kind: "any-depth" } | { kind: "placeholder" } | { kind: "text"; text: string };

function compileList(field: "include" | "exclude", globs: unknown): GlobSegment[][] {
  if (globs === undefined) return [];
  if (!Array.isArray(globs)) throw new PathFilterError(field, String(globs), "give a list of globs");
  if (globs.length > MAX_GLOBS) throw new PathFilterError(field, String(globs[0]), `at most ${MAX_GLOBS} globs are allowed`);
  return globs.map((glob) => compileGlob(field, glob));
}

function compileGlob(field: "include" | "exclude", glob: unknown): GlobSegment[] {
  if (typeof glob !== "string") throw new PathFilterError(field, String(glob), "a glob is a string");
  if (glob.length > MAX_GLOB_CHARS) throw new PathFilterError(field, glob, `a glob has at most ${MAX_GLOB_CHARS} characters`);
  if (!glob.startsWith("/")) throw new PathFilterError(field, glob, "a glob starts with /, like the paths it matches");
  // "/" alone is the root path: one empty segment, as "/".split("/").slice(1) gives.
  const segments = glob.split("/").slice(1);
  return segments.map((segment, index) => {
    if (segment === "" && segments.length > 1) throw new PathFilterError(field, glob, `segment ${index + 1} is empty`);
    if (segment === "**") return { kind: "any-depth" };
    if (segment.includes("**")) throw new PathFilterError(field, glob, "** must be a whole segment");
    if (PLACEHOLDER.test(segment)) return { kind: "placeholder" };
    return { kind: "text", text: segment };
  });
}

/**
 * Glob segments against path segments. Dynamic programming over both lists, so any number of
 * `**` costs at most globs × segments steps (a backtracking matcher can take exponential time).
 */
function matchSegments(glob: GlobSegment[], segments: string[]): boolean {
  // reachable[j]: the glob segments seen so far can match the first j path segments.
  let reachable = Array.from({ length: segments.length + 1 }, (_, j) => j === 0);
  for (const part of glob) {
    const next = new Array<boolean>(segments.length + 1).fill(false);
    for (let j = 0; j <= segments.length; j++) {
      if (part.kind === "any-depth") {
        next[j] = reachable[j] || (j > 0 && next[j - 1]);
      } else if (j > 0 && reachable[j - 1]) {
        next[j] = matchesSegment(part, segments[j - 1]);
      }
    }
    reachable = next;
  }
  return reachable[segments.length];
}

function matchesSegment(part: Exclude<GlobSegment, { kind: "any-depth" }>, segment: string): boolean {
  return part.kind === "placeholder" ? PLACEHOLDER.test(segment) : matchesWildcards(part.text, segment);
}

/**
 * `*` wildcards against one segment, without regular expressions: a glob such as
 * `*a*a*a*a*b` would make a backtracking regex take exponential time. This is the usual
 * greedy match that returns to the last `*`: at most pattern × text steps.
 */
function matchesWildcards(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}
