/**
 * The streaming variant of the outbound client against real HTTP servers on 127.0.0.1. The
 * redirect and credential rules are the same loop guardedFetch uses (guarded-fetch.test.ts
 * covers it in depth); this file checks that they hold here too, and what is particular to
 * streaming: the body arrives while the server is still writing, the deadline covers the
 * headers only, the caller's signal ends the stream, and the size cap holds while reading.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guardedFetchFunction, guardedStreamingFetch, OutboundError, type OutboundOptions } from "../../worker/outbound";
import { startServer, type Received, type TestServer } from "../harness/recording-server";

/** The thrown OutboundError, or a failed assertion when there was none. */
async function rejection(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundError);
    return error as OutboundError;
  }
  throw new Error("expected the call to fail");
}

const decoder = new TextDecoder();

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const chunk = await reader.read();
  return chunk.done ? "" : decoder.decode(chunk.value);
}

let a: TestServer;
let b: TestServer;
/** The open `/held` response, finished by the test when it chooses. */
let held: Promise<ServerResponse>;
let markHeld: (response: ServerResponse) => void = () => undefined;
/** Resolves when the endless stream's connection is closed by the client. */
let endlessClosed: Promise<void>;

beforeAll(async () => {
  let markEndlessClosed: () => void = () => undefined;
  endlessClosed = new Promise((resolve) => (markEndlessClosed = resolve));

  b = await startServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(b.received.at(-1)));
  });

  a = await startServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://a");
    switch (url.pathname) {
      case "/echo":
        response.writeHead(200, { "content-type": "application/json" });
        return response.end(JSON.stringify(a.received.at(-1)));
      case "/held":
        // Headers and a first event now; the rest when the test says so.
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write("data: first\n\n");
        return markHeld(response);
      case "/redirect":
        response.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to") ?? "/echo" });
        return response.end();
      case "/cross":
        response.writeHead(302, { location: `${b.origin}/echo${url.search}` });
        return response.end();
      case "/no-content":
        response.writeHead(204);
        return response.end();
      case "/never":
        return; // never answers
      case "/big":
        response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(2 << 20) });
        return response.end(Buffer.alloc(2 << 20, 1));
      case "/endless": {
        response.writeHead(200, { "content-type": "application/octet-stream" });
        response.on("close", markEndlessClosed);
        const chunk = Buffer.alloc(64 * 1024, 2);
        const pump = (): void => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once("drain", pump);
        };
        return pump();
      }
      default:
        response.writeHead(404);
        return response.end();
    }
  });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
});

beforeEach(() => {
  held = new Promise((resolve) => (markHeld = resolve));
  for (const server of [a, b]) {
    server.received.length = 0;
    server.connections = 0;
  }
});

const LOCAL: OutboundOptions = { allowLocalNetwork: true };

describe("streaming", () => {
  it("resolves at the headers and delivers the body while the server is still writing", async () => {
    const response = await guardedStreamingFetch(`${a.origin}/held`, undefined, LOCAL);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    // The server has not finished: a buffering client would still be waiting here.
    expect(await readChunk(reader)).toBe("data: first\n\n");
    (await held).end("data: last\n\n");
    expect(await readChunk(reader)).toBe("data: last\n\n");
    expect((await reader.read()).done).toBe(true);
  });

  it("does not apply the deadline to a stream whose headers came in time", async () => {
    const response = await guardedStreamingFetch(`${a.origin}/held`, undefined, { ...LOCAL, timeoutMs: 50 });
    const reader = response.body!.getReader();
    expect(await readChunk(reader)).toBe("data: first\n\n");
    // Well past the 50 ms deadline, the stream is still open and still delivers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    (await held).end("data: late\n\n");
    expect(await readChunk(reader)).toBe("data: late\n\n");
  });

  it("times out when the headers do not come", async () => {
    const error = await rejection(guardedStreamingFetch(`${a.origin}/never`, undefined, { ...LOCAL, timeoutMs: 200 }));
    expect(error.reason).toBe("timeout");
  });

  it("rejects with the caller's abort, not a timeout, when the caller aborts before the headers", async () => {
    const controller = new AbortController();
    const pending = guardedStreamingFetch(`${a.origin}/never`, { signal: controller.signal }, LOCAL);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("ends the stream and the server's connection when the caller aborts", async () => {
    const controller = new AbortController();
    const response = await guardedStreamingFetch(`${a.origin}/held`, { signal: controller.signal }, LOCAL);
    const reader = response.body!.getReader();
    expect(await readChunk(reader)).toBe("data: first\n\n");
    const serverSide = await held;
    const closed = new Promise((resolve) => serverSide.on("close", resolve));
    controller.abort();
    await expect(reader.read()).rejects.toBeDefined();
    await closed;
  });

  it("answers a 204 without a body", async () => {
    const response = await guardedStreamingFetch(`${a.origin}/no-content`, undefined, LOCAL);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });
});

describe("the guard", () => {
  it("refuses 127.0.0.1 before connecting when local networks are not allowed", async () => {
    const error = await rejection(guardedStreamingFetch(`${a.origin}/echo`, undefined, { allowLocalNetwork: false }));
    expect(error.reason).toBe("blocked_address");
    expect(a.connections).toBe(0);
  });

  it("refuses a non-http scheme, a URL with credentials and one that does not parse", async () => {
    expect((await rejection(guardedStreamingFetch("file:///etc/passwd", undefined, LOCAL))).reason).toBe("invalid_url");
    expect((await rejection(guardedStreamingFetch(`http://user:pw@127.0.0.1:1/`, undefined, LOCAL))).reason).toBe("invalid_url");
    const error = await rejection(guardedStreamingFetch("not a url?api_key=s3cret", undefined, LOCAL));
    expect(error.message).not.toContain("s3cret");
  });

  it("refuses a redirect to a metadata address and fetches nothing there", async () => {
    const requested: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      requested.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const start = `${a.origin}/redirect?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`;
    const error = await rejection(guardedStreamingFetch(start, undefined, { ...LOCAL, fetch: recordingFetch }));
    expect(error.reason).toBe("blocked_address");
    expect(requested).toEqual([start]);
  });

  it("fails past the redirect limit", async () => {
    const loop = `${a.origin}/redirect?to=${encodeURIComponent("/redirect?to=/redirect")}`;
    const error = await rejection(guardedStreamingFetch(loop, undefined, { ...LOCAL, maxRedirects: 1 }));
    expect(error.reason).toBe("too_many_redirects");
  });

  it("drops Authorization, Cookie and the connection's headers and query parameters on a cross-origin hop", async () => {
    const response = await guardedStreamingFetch(
      `${a.origin}/cross?api_key=query-1&page=2`,
      { headers: { authorization: "Bearer token-1", cookie: "s=1", "x-api-key": "key-1", "x-trace": "trace-1" } },
      { ...LOCAL, credentials: { origin: a.origin, headers: ["X-Api-Key"], queryParams: ["api_key"] } },
    );
    const received = (await response.json()) as Received;
    expect(received.url).toBe("/echo?page=2");
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers.cookie).toBeUndefined();
    expect(received.headers["x-api-key"]).toBeUndefined();
    expect(received.headers["x-trace"]).toBe("trace-1");
    expect(a.received[0].headers).toMatchObject({ authorization: "Bearer token-1", "x-api-key": "key-1" });
  });

  it.each([
    [303, "GET", ""],
    [307, "POST", '{"jsonrpc":"2.0"}'],
  ])("a %i after a POST arrives as %s with body %j", async (status, method, body) => {
    const response = await guardedStreamingFetch(
      `${a.origin}/redirect?status=${status}`,
      { method: "POST", headers: { "content-type": "application/json" }, body: '{"jsonrpc":"2.0"}' },
      LOCAL,
    );
    expect(response.status).toBe(200);
    expect(a.received.at(-1)).toMatchObject({ method, url: "/echo", body });
  });
});

describe("request forms", () => {
  it("takes a Request, and a string body gets the Content-Type fetch would give it", async () => {
    const input = new Request(`${a.origin}/echo`, { method: "PUT", headers: { "x-from": "request" }, body: "plain" });
    await guardedStreamingFetch(input, undefined, LOCAL);
    const received = a.received.at(-1)!;
    expect(received).toMatchObject({ method: "PUT", body: "plain" });
    expect(received.headers["x-from"]).toBe("request");
    expect(received.headers["content-type"]).toBe("text/plain;charset=UTF-8");
  });

  it("takes a URL object and keeps an explicit Content-Type", async () => {
    await guardedStreamingFetch(new URL(`${a.origin}/echo`), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, LOCAL);
    expect(a.received.at(-1)!.headers["content-type"]).toBe("application/json");
  });

  it("guardedFetchFunction makes a fetch bound to its options, and checks them when made", async () => {
    const guarded = guardedFetchFunction(LOCAL);
    const response = await guarded(`${a.origin}/echo`, { headers: { "x-bound": "yes" } });
    expect(((await response.json()) as Received).headers["x-bound"]).toBe("yes");
    await expect(guardedFetchFunction({ allowLocalNetwork: false })(`${a.origin}/echo`)).rejects.toMatchObject({ reason: "blocked_address" });
    expect(() => guardedFetchFunction({ ...LOCAL, timeoutMs: 0 })).toThrow(TypeError);
  });
});

describe("size cap", () => {
  it("refuses a declared body larger than the cap", async () => {
    const error = await rejection(guardedStreamingFetch(`${a.origin}/big`, undefined, { ...LOCAL, maxResponseBytes: 1 << 20 }));
    expect(error.reason).toBe("too_large");
  });

  it("errors an endless stream at the cap and closes it", async () => {
    const response = await guardedStreamingFetch(`${a.origin}/endless`, undefined, { ...LOCAL, maxResponseBytes: 256 * 1024 });
    const error = await rejection(response.arrayBuffer());
    expect(error.reason).toBe("too_large");
    await endlessClosed;
  });
});
