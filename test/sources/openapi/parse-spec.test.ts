/** parse-spec.ts: spec text (JSON or YAML) to a document, and the texts it refuses. */
import { describe, expect, it } from "vitest";
import { parseSpecText, SpecError } from "../../../worker/sources/openapi";

describe("parseSpecText", () => {
  it.each([
    ["JSON", '{"openapi": "3.1.0", "paths": {}}', { openapi: "3.1.0", paths: {} }],
    ["YAML", "openapi: 3.0.3\npaths:\n  /a: {}\n", { openapi: "3.0.3", paths: { "/a": {} } }],
    ["YAML that starts like JSON", "{openapi: 3.1.0, info: {title: t}}", { openapi: "3.1.0", info: { title: "t" } }],
    ["YAML with numeric keys and merge keys", 'base: &b {a: 1}\nr:\n  <<: *b\n  200: ok\n', { base: { a: 1 }, r: { a: 1, "200": "ok" } }],
  ])("reads %s", (_case, text, expected) => {
    expect(parseSpecText(text)).toEqual(expected);
  });

  it.each([
    ["empty text", "  \n", /empty/],
    ["garbage", "{{{ not: [valid", /neither valid JSON nor valid YAML/],
    ["plain words", "hello world", /not a JSON or YAML object/],
    ["a JSON array", '[{"openapi": "3.0.0"}]', /not a JSON or YAML object/],
    ["a number", "42", /not a JSON or YAML object/],
  ])("refuses %s", (_case, text, message) => {
    expect(() => parseSpecText(text)).toThrow(SpecError);
    expect(() => parseSpecText(text)).toThrow(message);
  });
});
