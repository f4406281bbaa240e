/** http-answer.ts: a 2xx answer as the program sees it: JSON, text or binary, and the headers it may read (pure, tables). */
import { describe, expect, it } from "vitest";
import { readAnswer, readBody, visibleHeaders } from "../../worker/sources/http-answer";

const SECRET = "s3cret-token-0123456789";
const answer = (contentType: string | null, body: Uint8Array | string, status = 200, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers({ ...(contentType === null ? {} : { "content-type": contentType }), ...headers }),
  body: typeof body === "string" ? new TextEncoder().encode(body) : body,
});
const bytes = (...values: number[]) => new Uint8Array(values);
const base64 = (data: Uint8Array) => Buffer.from(data).toString("base64");

describe("readBody", () => {
  it.each([
    ["JSON", answer("application/json", '{"a":[1,2]}'), { a: [1, 2] }],
    ["JSON of a +json type", answer("application/problem+json", '{"title":"x"}'), { title: "x" }],
    ["declared JSON that is not JSON, as text", answer("application/json", "oops"), "oops"],
    ["text", answer("text/plain; charset=utf-8", "héllo"), "héllo"],
    ["XML as text", answer("application/xml", "<a/>"), "<a/>"],
    ["text without a type", answer(null, "plain"), "plain"],
    ["an empty body", answer("application/json", ""), null],
    ["a 204", answer(null, "", 204), null],
  ])("%s", (_case, input, expected) => {
    expect(readBody(input, [])).toEqual(expected);
  });

  it.each([
    ["an image", answer("image/png", bytes(0x89, 0x50, 0x4e, 0x47, 0, 255)), "image/png"],
    ["octet-stream that happens to be UTF-8 (the type decides)", answer("application/octet-stream", "abc"), "application/octet-stream"],
    ["text/plain that is not UTF-8 (latin-1 é)", answer("text/plain; charset=iso-8859-1", bytes(0x63, 0x61, 0x66, 0xe9)), "text/plain; charset=iso-8859-1"],
    ["JSON that is not UTF-8", answer("application/json", bytes(0x22, 0xff, 0x22)), "application/json"],
    ["untyped bytes with a NUL", answer(null, bytes(0x50, 0x4b, 0x03, 0x04, 0x00)), "application/octet-stream"],
    ["untyped bytes that are not UTF-8", answer(null, bytes(0xc3, 0x28)), "application/octet-stream"],
    ["a multipart answer", answer("multipart/mixed; boundary=b", "--b--"), "multipart/mixed; boundary=b"],
  ])("%s comes back as {contentType, size, base64} with the exact bytes", (_case, input, contentType) => {
    expect(readBody(input, [])).toEqual({ contentType, size: input.body.length, base64: base64(input.body) });
  });

  it("keeps every byte value of a large binary answer", () => {
    const large = new Uint8Array(200_000).map((_, index) => (index * 7) % 256);
    const read = readBody(answer("application/zip", large), []) as { base64: string; size: number };
    expect(read.size).toBe(large.length);
    expect(Buffer.from(read.base64, "base64").equals(Buffer.from(large))).toBe(true);
  });

  it("redacts a secret from JSON, text and binary answers (in bytes, before the base64)", () => {
    expect(readBody(answer("application/json", JSON.stringify({ echo: SECRET })), [SECRET])).toEqual({ echo: "[redacted]" });
    expect(readBody(answer("text/plain", `token ${SECRET}`), [SECRET])).toBe("token [redacted]");
    const leaked = readBody(answer("application/pdf", new Uint8Array([0, ...new TextEncoder().encode(SECRET), 255])), [SECRET]) as { base64: string; size: number };
    const decoded = Buffer.from(leaked.base64, "base64");
    expect(decoded.toString("latin1")).toBe(`\u0000[redacted]\u00ff`);
    expect(leaked.size).toBe(decoded.length);
    // A base64 string whose bytes do not hold the secret is never touched, even though it is text.
    const clean = readBody(answer("image/png", bytes(1, 2, 3)), [SECRET]) as { base64: string };
    expect(clean.base64).toBe(base64(bytes(1, 2, 3)));
  });
});

describe("visibleHeaders", () => {
  it("leaves out cookies, authentication headers and the connection's own header names; redacts secrets from the rest", () => {
    const headers = new Headers({
      "content-type": "application/json",
      link: '<https://api.example.com/items?page=2>; rel="next"',
      etag: '"abc"',
      "x-ratelimit-remaining": "42",
      "set-cookie": "session=1",
      "www-authenticate": 'Bearer realm="api"',
      "proxy-authenticate": "Basic",
      "authentication-info": 'nextnonce="x"',
      "x-api-key": SECRET,
      "x-echo": `got ${SECRET}`,
    });
    expect(visibleHeaders(headers, [SECRET], ["X-API-Key"])).toEqual({
      "content-type": "application/json",
      link: '<https://api.example.com/items?page=2>; rel="next"',
      etag: '"abc"',
      "x-ratelimit-remaining": "42",
      "x-echo": "got [redacted]",
    });
  });
});

describe("readAnswer", () => {
  it.each([
    ["data", answer("application/json", "[1]", 200, { etag: "e" }), [1]],
    ["full", answer("application/json", "[1]", 201, { etag: "e" }), { data: [1], status: 201, headers: { "content-type": "application/json", etag: "e" } }],
    ["full, empty", answer(null, "", 204), { data: null, status: 204, headers: {} }],
  ] as const)("%s", (mode, input, expected) => {
    expect(readAnswer(input, [], [], mode.startsWith("full") ? "full" : "data")).toEqual(expected);
  });
});
