/** The textual JSONC editor behind deploy:setup: pure, so tables of text → text. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readJsoncString, setJsoncString, type JsoncPathSegment } from "../../scripts/deploy-setup/jsonc-edit";

const DB: JsoncPathSegment[] = ["d1_databases", { key: "binding", equals: "DB" }];
const wranglerJsonc = readFileSync(resolve(import.meta.dirname, "../../wrangler.jsonc"), "utf8");

describe("readJsoncString", () => {
  it.each<[string, string, JsoncPathSegment[], string | undefined]>([
    ["a top-level key", `{"name": "x"}`, ["name"], "x"],
    ["a nested key", `{"vars": {"A": "1"}}`, ["vars", "A"], "1"],
    ["an array index", `{"list": ["a", "b"]}`, ["list", 1], "b"],
    ["an array element by property", `{"d1": [{"binding": "X", "id": "1"}, {"binding": "DB", "id": "2"}]}`, ["d1", { key: "binding", equals: "DB" }, "id"], "2"],
    ["with comments and trailing commas", `// c\n{ /* c */ "a": "1", // "a": "2"\n }`, ["a"], "1"],
    ["the last of duplicate keys", `{"a": "1", "a": "2"}`, ["a"], "2"],
    ["escapes", `{"a": "q\\"u\\u00e9"}`, ["a"], 'q"ué'],
    ["a missing key", `{"a": "1"}`, ["b"], undefined],
    ["a missing array element", `{"d1": []}`, ["d1", { key: "binding", equals: "DB" }, "id"], undefined],
    ["a value that is not a string", `{"a": 1}`, ["a"], undefined],
  ])("reads %s", (_name, text, path, expected) => {
    expect(readJsoncString(text, path)).toBe(expected);
  });

  it("reads the project's wrangler.jsonc", () => {
    expect(readJsoncString(wranglerJsonc, [...DB, "database_name"])).toBe("executor");
    expect(readJsoncString(wranglerJsonc, ["vars", "ORG_NAME"])).toBe("Default");
  });

  it.each([
    ["an unterminated string", `{"a": "1}`],
    ["an unterminated comment", `{"a": "1"} /* x`],
    ["a missing comma", `{"a": "1" "b": "2"}`],
    ["content after the value", `{} {}`],
    ["an empty file", ``],
  ])("refuses %s", (_name, text) => {
    expect(() => readJsoncString(text, ["a"])).toThrow(/invalid JSONC at line \d+/);
  });
});

describe("setJsoncString", () => {
  it.each<[string, string, JsoncPathSegment[], string, string]>([
    ["replaces only the value", `{\n  // keep\n  "a": "old", /* and this */\n  "b": 1\n}`, ["a"], "new", `{\n  // keep\n  "a": "new", /* and this */\n  "b": 1\n}`],
    ["in an array element", `{"d1": [{"binding": "DB", "id": "0"}]}`, ["d1", { key: "binding", equals: "DB" }, "id"], "1", `{"d1": [{"binding": "DB", "id": "1"}]}`],
    ["escaping the value", `{"a": ""}`, ["a"], 'say "hi"\n', `{"a": "say \\"hi\\"\\n"}`],
    ["ignoring comment markers inside strings", `{"u": "http://x/*y*/", "a": ""}`, ["a"], "v", `{"u": "http://x/*y*/", "a": "v"}`],
    ["adding a key after the last property", `{\n  "vars": {\n    "A": "1"\n  }\n}`, ["vars", "B"], "2", `{\n  "vars": {\n    "A": "1",\n    "B": "2"\n  }\n}`],
    ["adding a key after a trailing comma", `{\n\t"A": "1",\n}`, ["B"], "2", `{\n\t"A": "1",\n\t"B": "2"\n}`],
    ["adding a key after a line comment", `{\n  "A": "1" // note\n}`, ["B"], "2", `{\n  "A": "1", // note\n  "B": "2"\n}`],
    ["adding a key to an inline object", `{ "vars": { "A": "1" } }`, ["vars", "B"], "2", `{ "vars": { "A": "1", "B": "2" } }`],
    ["adding a key to an empty object", `{"vars": {}}`, ["vars", "B"], "2", `{"vars": { "B": "2" }}`],
    ["adding a key to an object holding only a comment", `{"vars": { /* none */ }}`, ["vars", "B"], "2", `{"vars": { "B": "2" /* none */ }}`],
  ])("edits %s", (_name, text, path, value, expected) => {
    const edited = setJsoncString(text, path, value);
    expect(edited).toBe(expected);
    expect(readJsoncString(edited, path)).toBe(value);
  });

  it("returns the very same text when the value is already there", () => {
    const text = `{"a": "1"} // end`;
    expect(setJsoncString(text, ["a"], "1")).toBe(text);
  });

  it("edits the project's wrangler.jsonc in place, comments and layout kept", () => {
    const id = "0b5c1a53-1d0c-4d6b-9a43-8f8f0e3c2f11";
    let edited = setJsoncString(wranglerJsonc, [...DB, "database_id"], id);
    edited = setJsoncString(edited, ["vars", "ACCESS_TEAM_DOMAIN"], "acme.cloudflareaccess.com");
    const expected = wranglerJsonc
      .replace(/("database_id": )"[^"]*"/, `$1"${id}"`)
      .replace(`"ACCESS_TEAM_DOMAIN": ""`, `"ACCESS_TEAM_DOMAIN": "acme.cloudflareaccess.com"`);
    expect(edited).toBe(expected);
    expect(edited).toContain("// Executor for Cloudflare");
  });

  it.each<[string, string, JsoncPathSegment[], RegExp]>([
    ["a missing parent", `{"a": "1"}`, ["vars", "B"], /no vars in the file/],
    ["a missing array element", `{"d1": []}`, ["d1", { key: "binding", equals: "DB" }, "id"], /no d1\[binding=DB\] in the file/],
    ["a target that is not a string", `{"a": 1}`, ["a"], /a is not a string/],
    ["a missing array index", `{"l": []}`, ["l", 0], /no l\[0\] in the file/],
  ])("refuses %s", (_name, text, path, error) => {
    expect(() => setJsoncString(text, path, "x")).toThrow(error);
  });
});
