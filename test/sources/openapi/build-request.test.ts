/** build-request.ts: validated arguments to the URL, headers and body of one HTTP request. */
import { describe, expect, it } from "vitest";
import { buildRequest, type InvocationParameter, type OpenApiInvocation } from "../../../worker/sources/openapi";

function invocation(parameters: Partial<InvocationParameter>[], extra: Partial<OpenApiInvocation> = {}): OpenApiInvocation {
  return {
    method: "GET",
    path: "/items",
    security: [],
    ...extra,
    parameters: parameters.map((parameter) => ({ name: "p", in: "query", required: false, ...parameter, arg: parameter.arg ?? parameter.name ?? "p" })),
  };
}

const BASE = "https://api.example.com/v1";

describe("buildRequest URLs", () => {
  it.each([
    ["a path parameter, percent-encoded", invocation([{ name: "id", in: "path" }], { path: "/items/{id}" }), { id: "a/b c?" }, `${BASE}/items/a%2Fb%20c%3F`],
    ["a path array (style simple)", invocation([{ name: "ids", in: "path" }], { path: "/items/{ids}" }), { ids: [1, 2, 3] }, `${BASE}/items/1,2,3`],
    ["a renamed argument", invocation([{ name: "id", in: "path" }, { name: "id", in: "query", arg: "query_id" }], { path: "/items/{id}" }), { id: 7, query_id: "x" }, `${BASE}/items/7?id=x`],
    ["a query array, exploded by default", invocation([{ name: "tag" }]), { tag: ["a b", "c&d"] }, `${BASE}/items?tag=a%20b&tag=c%26d`],
    ["a query array, not exploded", invocation([{ name: "tag", style: "form", explode: false }]), { tag: ["a", "b,c"] }, `${BASE}/items?tag=a,b%2Cc`],
    ["a query array, pipe-delimited", invocation([{ name: "tag", style: "pipeDelimited" }]), { tag: ["a", "b"] }, `${BASE}/items?tag=a|b`],
    ["a query object, exploded", invocation([{ name: "filter" }]), { filter: { state: "open", n: 2 } }, `${BASE}/items?state=open&n=2`],
    ["a query object, not exploded", invocation([{ name: "filter", explode: false }]), { filter: { state: "open", n: 2 } }, `${BASE}/items?filter=state,open,n,2`],
    [
      "a deepObject query",
      invocation([{ name: "filter", style: "deepObject", explode: true }]),
      { filter: { state: "open", labels: ["x", "y"], range: { from: 1 } } },
      `${BASE}/items?filter[state]=open&filter[labels]=x&filter[labels]=y&filter[range][from]=1`,
    ],
    ["scalars as JSON writes them", invocation([{ name: "n" }, { name: "on" }]), { n: 1.5, on: false }, `${BASE}/items?n=1.5&on=false`],
    ["undefined and null arguments left out", invocation([{ name: "a" }, { name: "b" }, { name: "c" }]), { a: undefined, b: null, c: "" }, `${BASE}/items?c=`],
    ["a base URL's path prefix kept, trailing slash or not", invocation([]), {}, `${BASE}/items`],
  ])("builds %s", (_case, call, args, url) => {
    expect(buildRequest(call, BASE, args).url).toBe(url);
  });

  it("joins a base URL with a trailing slash without doubling it", () => {
    expect(buildRequest(invocation([]), "https://api.example.com/v1/", {}).url).toBe("https://api.example.com/v1/items");
    expect(buildRequest(invocation([]), "https://api.example.com", {}).url).toBe("https://api.example.com/items");
  });
});

describe("buildRequest headers and bodies", () => {
  it("sends header parameters, arrays comma-joined, and cookies in one cookie header", () => {
    const call = invocation([
      { name: "X-Trace", in: "header" },
      { name: "X-Tags", in: "header" },
      { name: "session", in: "cookie" },
      { name: "theme", in: "cookie" },
      { name: "X-Missing", in: "header" },
    ]);
    expect(buildRequest(call, BASE, { "X-Trace": "abc", "X-Tags": ["a", "b"], session: "s 1;", theme: "dark" })).toEqual({
      url: `${BASE}/items`,
      method: "GET",
      headers: { "X-Trace": "abc", "X-Tags": "a,b", cookie: "session=s%201%3B; theme=dark" },
    });
  });

  it.each([
    ["JSON", "application/json", { name: "Rex", tags: ["a"] }, "application/json", '{"name":"Rex","tags":["a"]}'],
    ["vendor JSON", "application/vnd.api+json", { a: 1 }, "application/vnd.api+json", '{"a":1}'],
    ["a form", "application/x-www-form-urlencoded", { name: "Rex Jr", tags: ["a", "b"], skip: undefined, n: 3 }, "application/x-www-form-urlencoded", "name=Rex+Jr&tags=a&tags=b&n=3"],
    ["text as it is", "text/plain", "hello", "text/plain", "hello"],
  ])("encodes a %s body", (_case, contentType, body, sentType, sent) => {
    const call = invocation([], { method: "POST", body: { contentType, required: true } });
    expect(buildRequest(call, BASE, { body })).toEqual({ url: `${BASE}/items`, method: "POST", headers: { "content-type": sentType }, body: sent });
  });

  it("sends no body when the optional body argument is absent", () => {
    const call = invocation([], { method: "PATCH", body: { contentType: "application/json", required: false } });
    expect(buildRequest(call, BASE, {})).toEqual({ url: `${BASE}/items`, method: "PATCH", headers: {} });
  });
});

describe("buildRequest reserved path expansion", () => {
  const reserved = (path: string) => invocation([{ name: "name", in: "path", required: true, allowReserved: true }], { path });

  it.each([
    ["slashes kept as separators", "/v1/{name}", "spaces/AAAA/messages/BBB.CCC", `${BASE}/v1/spaces/AAAA/messages/BBB.CCC`],
    ["each segment percent-encoded", "/v1/{name}", "spaces/a b?c#d/x%2Fy", `${BASE}/v1/spaces/a%20b%3Fc%23d/x%252Fy`],
    ["a backslash encoded, not a separator", "/v1/{name}", "spaces/a\\..\\b", `${BASE}/v1/spaces/a%5C..%5Cb`],
    ["a verb after the placeholder", "/v1/{name}:cancel", "operations/42", `${BASE}/v1/operations/42:cancel`],
  ])("keeps %s", (_case, path, name, url) => {
    expect(buildRequest(reserved(path), BASE, { name }).url).toBe(url);
  });

  it.each([["spaces/x/messages/.."], ["spaces/x/%2e%2E/y"], ["./x"], ["/spaces/x"], ["spaces/x/"], ["spaces//x"]])("refuses %j with invalid_arguments naming the argument, not the value", (name) => {
    let thrown: unknown;
    try {
      buildRequest(reserved("/v1/{name}"), BASE, { name });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: "invalid_arguments", message: expect.stringMatching(/^name must not contain/), details: [{ path: "/name" }] });
    expect((thrown as Error).message).not.toContain(name);
  });

  it.each([["."], [".."], ["%2e%2e"], ["%2E."]])("refuses the plain path value %j: the URL parser would collapse it", (id) => {
    const plain: OpenApiInvocation = { method: "GET", path: "/items/{id}", parameters: [{ name: "id", in: "path", arg: "id", required: true }], security: [] };
    expect(() => buildRequest(plain, BASE, { id })).toThrow(/id must not be `.` or `..`/);
  });

  it("still encodes slashes in a plain path parameter", () => {
    const plain = invocation([{ name: "name", in: "path", required: true }], { path: "/v1/{name}" });
    expect(buildRequest(plain, BASE, { name: "spaces/x/.." }).url).toBe(`${BASE}/v1/spaces%2Fx%2F..`);
  });
});

describe("buildRequest uploads", () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 128]);
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
  const upload = (body: NonNullable<OpenApiInvocation["body"]>) => invocation([], { method: "POST", body });

  /** Parses what buildRequest built with a real multipart parser (undici's, behind Request.formData). */
  async function parsed(request: ReturnType<typeof buildRequest>): Promise<[string, string | { name: string; type: string; bytes: number[] }][]> {
    const form = await new Request(request.url, { method: "POST", headers: request.headers, body: request.body as BodyInit }).formData();
    const entries: [string, string | { name: string; type: string; bytes: number[] }][] = [];
    for (const [name, value] of form) {
      entries.push([name, typeof value === "string" ? value : { name: value.name, type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] }]);
    }
    return entries;
  }

  it("builds multipart/form-data: files from base64, arrays as repeated parts, objects as JSON, scalars as text", async () => {
    const request = buildRequest(upload({ contentType: "multipart/form-data", required: true, files: ["file", "more"] }), BASE, {
      body: {
        file: { base64: base64(png), filename: 'a "quoted"\r\nname.png', contentType: "image/png" },
        more: [{ base64: "aGk=" }, { base64: "aGk", filename: "unpadded.txt", contentType: "text/plain; charset=utf-8" }],
        title: "Grüße",
        count: 2,
        tags: ["a", "b"],
        meta: { deep: [1] },
        skipped: null,
      },
    });
    expect(request.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=----ExecutorBoundary[0-9a-f]{32}$/);
    expect(request.body).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(request.body as Uint8Array).toString("latin1")).toContain('Content-Disposition: form-data; name="file"; filename="a %22quoted%22%0D%0Aname.png"\r\n');
    expect(await parsed(request)).toEqual([
      // Escaped on the wire (a name cannot end its header line), given back whole by the parser.
      ["file", { name: 'a "quoted"\r\nname.png', type: "image/png", bytes: [...png] }],
      ["more", { name: "more", type: "application/octet-stream", bytes: [104, 105] }],
      ["more", { name: "unpadded.txt", type: "text/plain; charset=utf-8", bytes: [104, 105] }],
      ["title", "Grüße"],
      ["count", "2"],
      ["tags", "a"],
      ["tags", "b"],
      ["meta", '{"deep":[1]}'],
    ]);
  });

  it("builds multipart for a tool stored before files were recognised: every field as text or JSON", async () => {
    const request = buildRequest(upload({ contentType: "multipart/form-data", required: true }), BASE, { body: { name: "x", file: { base64: "aGk=" } } });
    expect(await parsed(request)).toEqual([
      ["name", "x"],
      ["file", '{"base64":"aGk="}'],
    ]);
  });

  it.each([
    ["its own type", { base64: base64(png), contentType: "image/png" }, "application/octet-stream", "image/png"],
    ["the operation's type", { base64: base64(png) }, "image/png", "image/png"],
    ["octet-stream for a wildcard type", { base64: base64(png) }, "image/*", "application/octet-stream"],
    ["URL-safe base64, a downloaded answer's size ignored", { base64: base64(png).replace(/\+/g, "-").replace(/\//g, "_"), size: 99 }, "application/octet-stream", "application/octet-stream"],
  ])("sends a binary body as its bytes, labelled with %s", (_case, body, declared, sent) => {
    const request = buildRequest(upload({ contentType: declared, required: true, binary: true }), BASE, { body });
    expect(request.headers["content-type"]).toBe(sent);
    expect([...(request.body as Uint8Array)]).toEqual([...png]);
  });

  it.each([
    ["bytes that are not base64", { binary: true }, { base64: "%%%" }, "/body/base64"],
    ["a plain string", { binary: true }, "aGk=", "/body"],
    ["a content type with a line break", { binary: true }, { base64: "aGk=", contentType: "text/plain\r\nx-evil: 1" }, "/body/contentType"],
    ["a multipart file that is not {base64}", { files: ["file"] }, { file: "aGk=" }, "/body/file"],
    ["a multipart element that is not base64", { files: ["file"] }, { file: [{ base64: "aGk=" }, { base64: "!" }] }, "/body/file/1/base64"],
    ["a multipart body that is not an object", { files: [] }, "x", "/body"],
  ])("refuses %s with invalid_arguments naming where", (_case, encoding, body, path) => {
    const contentType = "files" in encoding ? "multipart/form-data" : "application/octet-stream";
    expect(() => buildRequest(upload({ contentType, required: true, ...encoding }), BASE, { body })).toThrow(
      expect.objectContaining({ code: "invalid_arguments", details: [expect.objectContaining({ path })] }),
    );
  });
});
