/**
 * Turns an agent's program into a script QuickJS can evaluate: the code becomes the body of
 * a strict async function (so top-level `await` and `return` work) and TypeScript syntax is
 * stripped by sucrase. Line numbers are kept, so errors point at the agent's own lines.
 */
import { transform } from "sucrase";

export type TranspileResult = { ok: true; script: string } | { ok: false; message: string };

const CACHE_SIZE = 200;
const cache = new Map<string, TranspileResult>();

/** The wrapped, type-stripped script for `code`; cached per isolate (replays run it again). */
export function transpileProgram(code: string): TranspileResult {
  const cached = cache.get(code);
  if (cached) return cached;
  const result = transpile(code);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(code, result);
  return result;
}

/** The plain-JS wrapping, for reporting a syntax error in the engine's own words. */
export function wrapProgram(code: string): string {
  // Same line as the opening, so the agent's line 1 stays line 1.
  return `(async () => { "use strict"; ${code}\n})()`;
}

function transpile(code: string): TranspileResult {
  try {
    const { code: script } = transform(wrapProgram(code), {
      transforms: ["typescript"],
      disableESTransforms: true,
      preserveDynamicImport: true,
    });
    return { ok: true, script };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
