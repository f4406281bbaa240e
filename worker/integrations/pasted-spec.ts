/**
 * A pasted document, handed out once. A pasted spec can be 25 MB of text (50 MB in memory
 * when it holds any non-Latin-1 character), and whatever still refers to it keeps it alive
 * through conversion and storing: the request's parsed body, the source description, the
 * reader's arguments. Taking it out of the body into one of these, and reading it exactly
 * once, leaves the parser the only holder, so the text is garbage as soon as it is parsed.
 */
export type PastedSpec = () => unknown;

/** Moves `spec` out of `input` (the request's body) into a PastedSpec; undefined when none. */
export function takePastedSpec(input: { spec?: unknown }): PastedSpec | undefined {
  if (input.spec === undefined) return undefined;
  let held: unknown = input.spec;
  delete input.spec;
  return () => {
    const value = held;
    held = undefined;
    return value;
  };
}
