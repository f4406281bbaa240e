/** Checking values against JSON Schema: where each problem is and what it is (pure, tables). */
import { describe, expect, it } from "vitest";
import { checkJsonSchema } from "../../worker/json-schema";

const schema = {
  type: "object",
  required: ["code"],
  additionalProperties: false,
  properties: {
    code: { type: "string", minLength: 1 },
    n: { type: "integer", minimum: 0 },
    auth: {
      type: "object",
      required: ["type"],
      properties: { type: { enum: ["none", "apiKey"] } },
      allOf: [{ if: { properties: { type: { const: "apiKey" } } }, then: { required: ["key"], properties: { key: { type: "string" } } } }],
    },
  },
};

describe("checkJsonSchema", () => {
  it("is empty for a value that fits", () => {
    expect(checkJsonSchema(schema, { code: "x", n: 1, auth: { type: "apiKey", key: "k" } })).toEqual([]);
  });

  it.each([
    ["a missing property", {}, [{ path: "/", missing: "code" }]],
    ["a wrong type", { code: 3 }, [{ path: "/code" }]],
    ["a number out of range", { code: "x", n: -1 }, [{ path: "/n" }]],
    ["an unknown property", { code: "x", extra: 1 }, [{ path: "/extra", problem: "is not allowed here" }]],
    ["a bad enum inside", { code: "x", auth: { type: "bogus" } }, [{ path: "/auth/type" }]],
    ["a conditional requirement", { code: "x", auth: { type: "apiKey" } }, [{ path: "/auth", missing: "key" }]],
    ["a conditional type", { code: "x", auth: { type: "apiKey", key: 4 } }, [{ path: "/auth/key" }]],
  ])("names the place of %s, without the wrappers' errors", (_name, value, expected) => {
    const problems = checkJsonSchema(schema, value);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((part, index) => expect(problems[index]).toMatchObject(part));
  });

  it("says something even when only a combinator failed", () => {
    expect(checkJsonSchema({ anyOf: [{ type: "string" }, { type: "number" }] }, true).length).toBeGreaterThan(0);
  });
});
