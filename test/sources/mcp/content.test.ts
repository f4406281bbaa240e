/** resultData: what a program gets back from a tools/call result. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { resultData, resultText } from "../../../worker/sources/mcp/content";

describe("resultData", () => {
  it.each<[string, CallToolResult, unknown]>([
    ["structuredContent wins over content", { content: [{ type: "text", text: "{}" }], structuredContent: { a: 1 } }, { a: 1 }],
    ["a single text item is its text", { content: [{ type: "text", text: "hello" }] }, "hello"],
    ["text that parses as JSON stays a string", { content: [{ type: "text", text: '{"a":1}' }] }, '{"a":1}'],
    ["a number-looking text stays a string", { content: [{ type: "text", text: "42" }] }, "42"],
    ["no content is null", { content: [] }, null],
    [
      "a single image is an array of one",
      { content: [{ type: "image", mimeType: "image/png", data: "iVBO", annotations: { priority: 1 } }] },
      [{ type: "image", mimeType: "image/png", data: "iVBO" }],
    ],
    [
      "several items keep their order and drop annotations and _meta",
      {
        content: [
          { type: "text", text: "a", _meta: { x: 1 } },
          { type: "audio", mimeType: "audio/wav", data: "UklG" },
          { type: "resource", resource: { uri: "file:///a.txt", text: "body" } },
          { type: "resource", resource: { uri: "file:///b.bin", mimeType: "application/octet-stream", blob: "AAE=" } },
          { type: "resource_link", uri: "file:///c", name: "c", description: "dropped" },
        ],
      },
      [
        { type: "text", text: "a" },
        { type: "audio", mimeType: "audio/wav", data: "UklG" },
        { type: "resource", uri: "file:///a.txt", text: "body" },
        { type: "resource", uri: "file:///b.bin", mimeType: "application/octet-stream", blob: "AAE=" },
        { type: "resource_link", uri: "file:///c", name: "c" },
      ],
    ],
  ])("%s", (_name, result, expected) => {
    const data = resultData(result);
    expect(data).toEqual(expected);
    expect(JSON.parse(JSON.stringify(data))).toEqual(expected);
  });
});

describe("resultText", () => {
  it("joins the text items and ignores the rest", () => {
    const result: CallToolResult = {
      content: [
        { type: "text", text: "first" },
        { type: "image", mimeType: "image/png", data: "x" },
        { type: "text", text: "second" },
      ],
    };
    expect(resultText(result)).toBe("first\nsecond");
    expect(resultText({ content: [] })).toBe("");
  });
});
