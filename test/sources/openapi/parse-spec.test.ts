/** parse-spec.ts: spec text (JSON or YAML) to a document, and the texts it refuses. */
import { describe, expect, it } from "vitest";
import { parseSpecText, SpecError } from "../../../worker/sources/openapi";

describe("parseSpecText", () => {
  it.each([
    ["JSON", '{"openapi": "3.1.0", "paths": {}}', { openapi: "3.1.0", paths: {} }],
    ["YAML", "openapi: 3.0.3\npaths:\n  /a: {}\n", { openapi: "3.0.3", paths: { "/a": {} } }],
    ["YAML that starts like JSON", "{openapi: 3.1.0, info: {title: t}}", { openapi: "3.1.0", info: { title: "t" } }],
    ["YAML with numeric keys and merge keys", 'base: &b {a: 1}\nr:\n  <<: *b\n  200: ok\n', { base: { a: 1 }, r: { a: 1, "200": "ok" } }],
    ["YAML dates as text, as JSON has them", "example: 2020-01-31\n", { example: "2020-01-31" }],
    ["YAML with a duplicate key: the last wins, as in JSON.parse", "a: 1\na: 2\n", { a: 2 }],
    ["YAML with a few aliases", "s: &s {type: string}\np: {a: *s, b: *s}\n", { s: { type: "string" }, p: { a: { type: "string" }, b: { type: "string" } } }],
  ])("reads %s", (_case, text, expected) => {
    expect(parseSpecText(text)).toEqual(expected);
  });

  it.each([
    ["empty text", "  \n", /empty/],
    ["garbage", "{{{ not: [valid", /neither valid JSON nor valid YAML/],
    ["plain words", "hello world", /not a JSON or YAML object/],
    ["a JSON array", '[{"openapi": "3.0.0"}]', /not a JSON or YAML object/],
    ["a number", "42", /not a JSON or YAML object/],
    ["YAML aliases nested to expand exponentially (billion laughs)", billionLaughs(), /aliases expand/],
  ])("refuses %s", (_case, text, message) => {
    expect(() => parseSpecText(text)).toThrow(SpecError);
    expect(() => parseSpecText(text)).toThrow(message);
  });
});

/** Ten levels of ten aliases each: a few hundred characters, 10^10 values once expanded. */
function billionLaughs(): string {
  let text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (let level = 1; level <= 10; level++) text += `a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(", ")}]\n`;
  return text;
}
