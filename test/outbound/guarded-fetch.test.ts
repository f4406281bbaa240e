/**
 * The outbound client against real HTTP servers on 127.0.0.1: two servers on two ports are
 * two origins, and each records what it received so the tests can assert what crossed.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guardedFetch, OutboundError, type OutboundOptions } from "../../worker/outbound";
import { startServer, type Received, type TestServer } from "../harness/recording-server";

function redirect(response: ServerResponse, status: number, location: string): void {
  response.writeHead(status, { location, "content-type": "text/plain" });
  response.end(`see ${location}`);
}

function echo(response: ServerResponse, received: Received): void {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(received));
}

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

let a: TestServer;
let b: TestServer;
/** Resolves when the endless stream's connection is closed by the client. */
let endlessClosed: Promise<void>;

beforeAll(async () => {
  let markEndlessClosed: () => void = () => undefined;
  endlessClosed = new Promise((resolve) => (markEndlessClosed = resolve));

  b = await startServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://b");
    if (url.pathname === "/to-a") return redirect(response, 302, `${a.origin}/echo${url.search}`);
    echo(response, b.received.at(-1)!);
  });

  a = await startServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://a");
    const [, first, second] = url.pathname.split("/");
    switch (first) {
      case "echo":
        return echo(response, a.received.at(-1)!);
      case "hop": {
        const left = Number(second);
        if (left > 0) return redirect(response, 302, `/hop/${left - 1}`);
        response.writeHead(200, { "content-type": "text/plain" });
        return response.end("done");
      }
      case "redirect":
        return redirect(response, Number(second), url.searchParams.get("to") ?? "/echo");
      case "relative":
        return redirect(response, 302, "../echo?from=relative");
      case "same":
        return redirect(response, 302, `/echo${url.search}`);
      case "cross":
        // Echoes the query string into the Location, as some upstreams do.
        return redirect(response, 302, `${b.origin}/echo${url.search}`);
      case "via-b":
        return redirect(response, 302, `${b.origin}/to-a${url.search}`);
      case "no-location":
        response.writeHead(302, { "content-type": "text/plain" });
        return response.end("nowhere to go");
      case "json":
        response.writeHead(200, { "content-type": "application/json" });
        return response.end('{"ok":true,"name":"Zoë"}');
      case "not-json":
        response.writeHead(200, { "content-type": "text/plain" });
        return response.end("not json");
      case "never":
        return; // never answers
      case "stall-body":
        response.writeHead(200, { "content-type": "text/plain" });
        return void response.write("a first part, and then nothing");
      case "big":
        response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(2 << 20) });
        return response.end(Buffer.alloc(2 << 20, 1));
      case "endless": {
        // No Content-Length: only counting while streaming can stop this one.
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
  for (const server of [a, b]) {
    server.received.length = 0;
    server.connections = 0;
  }
});

const LOCAL: OutboundOptions = { allowLocalNetwork: true };

describe("the address guard", () => {
  it("calls 127.0.0.1 when local networks are allowed", async () => {
    const response = await guardedFetch({ url: `${a.origin}/json` }, LOCAL);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${a.origin}/json`);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.json()).toEqual({ ok: true, name: "Zoë" });
    expect(response.text()).toBe('{"ok":true,"name":"Zoë"}');
  });

  it("refuses 127.0.0.1 before connecting when local networks are not allowed", async () => {
    const error = await rejection(guardedFetch({ url: `${a.origin}/echo` }, { allowLocalNetwork: false }));
    expect(error.reason).toBe("blocked_address");
    expect(a.received).toHaveLength(0);
    expect(a.connections).toBe(0);
  });

  it("refuses a non-http scheme and a URL that does not parse", async () => {
    expect((await rejection(guardedFetch({ url: "file:///etc/passwd" }, LOCAL))).reason).toBe("invalid_url");
    const error = await rejection(guardedFetch({ url: "not a url?api_key=s3cret" }, LOCAL));
    expect(error.reason).toBe("invalid_url");
    expect(error.message).not.toContain("s3cret");
  });

  it("throws a SyntaxError from json() on a body that is not JSON", async () => {
    const response = await guardedFetch({ url: `${a.origin}/not-json` }, LOCAL);
    expect(() => response.json()).toThrow(SyntaxError);
  });
});

describe("redirects", () => {
  it("follows a chain within the limit and reports the final URL", async () => {
    const response = await guardedFetch({ url: `${a.origin}/hop/5` }, LOCAL);
    expect(response.status).toBe(200);
    expect(response.text()).toBe("done");
    expect(response.url).toBe(`${a.origin}/hop/0`);
    expect(a.received.map((r) => r.url)).toEqual(["/hop/5", "/hop/4", "/hop/3", "/hop/2", "/hop/1", "/hop/0"]);
  });

  it("fails on the sixth redirect without following it", async () => {
    const error = await rejection(guardedFetch({ url: `${a.origin}/hop/6` }, LOCAL));
    expect(error.reason).toBe("too_many_redirects");
    expect(a.received.map((r) => r.url)).not.toContain("/hop/0");
  });

  it("honours a smaller maxRedirects", async () => {
    const error = await rejection(guardedFetch({ url: `${a.origin}/hop/2` }, { ...LOCAL, maxRedirects: 1 }));
    expect(error.reason).toBe("too_many_redirects");
  });

  it("resolves a relative Location against the current URL", async () => {
    const response = await guardedFetch({ url: `${a.origin}/relative/here` }, LOCAL);
    expect(response.url).toBe(`${a.origin}/echo?from=relative`);
  });

  it("returns a redirect without a Location as the response", async () => {
    const response = await guardedFetch({ url: `${a.origin}/no-location` }, LOCAL);
    expect(response.status).toBe(302);
    expect(response.text()).toBe("nowhere to go");
  });

  it("refuses a redirect to a metadata address even on a local network, and fetches nothing there", async () => {
    const requested: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      requested.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const start = `${a.origin}/redirect/302?to=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`;
    const error = await rejection(guardedFetch({ url: start }, { ...LOCAL, fetch: recordingFetch }));
    expect(error.reason).toBe("blocked_address");
    expect(requested).toEqual([start]);
  });

  it("refuses a redirect to a local address when local networks are not allowed", async () => {
    // The first hop is public (a stand-in fetch answers for it); the redirect is not.
    const publicRedirect: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith("https://public.example/")) {
        return new Response(null, { status: 302, headers: { location: `${a.origin}/echo` } });
      }
      return fetch(input, init);
    };
    const error = await rejection(
      guardedFetch({ url: "https://public.example/start" }, { allowLocalNetwork: false, fetch: publicRedirect }),
    );
    expect(error.reason).toBe("blocked_address");
    expect(a.received).toHaveLength(0);
  });

  it("refuses a redirect to a non-http scheme", async () => {
    const start = `${a.origin}/redirect/302?to=${encodeURIComponent("file:///etc/passwd")}`;
    expect((await rejection(guardedFetch({ url: start }, LOCAL))).reason).toBe("invalid_url");
  });

  it.each([
    [301, "GET", ""],
    [302, "GET", ""],
    [303, "GET", ""],
    [307, "POST", "hello"],
    [308, "POST", "hello"],
  ])("a %i after a POST arrives as %s with body %j", async (status, method, body) => {
    const response = await guardedFetch(
      {
        url: `${a.origin}/redirect/${status}`,
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "hello",
      },
      LOCAL,
    );
    expect(response.url).toBe(`${a.origin}/echo`);
    const received = a.received.at(-1)!;
    expect(received.method).toBe(method);
    expect(received.body).toBe(body);
    expect(received.headers["content-type"]).toBe(body === "" ? undefined : "text/plain");
  });

  it("resends a Uint8Array body on a 307", async () => {
    const bytes = new TextEncoder().encode("binary body");
    await guardedFetch({ url: `${a.origin}/redirect/307`, method: "PUT", body: bytes }, LOCAL);
    expect(a.received.at(-1)).toMatchObject({ method: "PUT", body: "binary body" });
  });
});

describe("credentials on redirects", () => {
  const sent = {
    authorization: "Bearer token-1",
    cookie: "session=cookie-1",
    "proxy-authorization": "Basic proxy-1",
    "x-api-key": "key-1",
    "x-trace": "trace-1",
  };
  const credentials = () => ({ origin: a.origin, headers: ["X-Api-Key"], queryParams: ["api_key"] });

  it("drops Authorization, Cookie and the connection's headers and query parameters on a cross-origin hop", async () => {
    const response = await guardedFetch(
      { url: `${a.origin}/cross?api_key=query-1&page=2`, headers: sent },
      { ...LOCAL, credentials: credentials() },
    );
    expect(response.url).toBe(`${b.origin}/echo?page=2`);
    expect(b.received).toHaveLength(1);
    const received = b.received[0];
    expect(received.url).toBe("/echo?page=2");
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers.cookie).toBeUndefined();
    expect(received.headers["proxy-authorization"]).toBeUndefined();
    expect(received.headers["x-api-key"]).toBeUndefined();
    expect(received.headers["x-trace"]).toBe("trace-1");
    // And the origin itself did receive them.
    expect(a.received[0].headers).toMatchObject({ authorization: "Bearer token-1", "x-api-key": "key-1" });
  });

  it("keeps them on a same-origin hop", async () => {
    await guardedFetch(
      { url: `${a.origin}/same?api_key=query-1&page=2`, headers: sent },
      { ...LOCAL, credentials: credentials() },
    );
    expect(a.received.map((r) => r.url)).toEqual(["/same?api_key=query-1&page=2", "/echo?api_key=query-1&page=2"]);
    expect(a.received[1].headers).toMatchObject(sent);
  });

  it("does not restore them when the chain comes back to the origin", async () => {
    const response = await guardedFetch(
      { url: `${a.origin}/via-b?api_key=query-1`, headers: sent },
      { ...LOCAL, credentials: credentials() },
    );
    expect(response.url).toBe(`${a.origin}/echo`);
    const back = a.received.at(-1)!;
    expect(back.url).toBe("/echo");
    for (const name of ["authorization", "cookie", "proxy-authorization", "x-api-key"]) {
      expect(back.headers[name]).toBeUndefined();
    }
  });

  it("drops Authorization and Cookie on a cross-origin hop even without declared credentials", async () => {
    await guardedFetch({ url: `${a.origin}/cross`, headers: sent }, LOCAL);
    const received = b.received[0];
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers.cookie).toBeUndefined();
    expect(received.headers["x-api-key"]).toBe("key-1");
  });
});

describe("limits and failures", () => {
  it("times out on a server that never answers", async () => {
    const error = await rejection(guardedFetch({ url: `${a.origin}/never` }, { ...LOCAL, timeoutMs: 200 }));
    expect(error.reason).toBe("timeout");
  });

  it("times out on a body that stops half way", async () => {
    const error = await rejection(guardedFetch({ url: `${a.origin}/stall-body` }, { ...LOCAL, timeoutMs: 200 }));
    expect(error.reason).toBe("timeout");
  });

  it("refuses a body larger than the cap", async () => {
    const error = await rejection(guardedFetch({ url: `${a.origin}/big` }, { ...LOCAL, maxResponseBytes: 1 << 20 }));
    expect(error.reason).toBe("too_large");
  });

  it("stops reading an endless stream at the cap and closes it", async () => {
    const error = await rejection(
      guardedFetch({ url: `${a.origin}/endless` }, { ...LOCAL, maxResponseBytes: 256 * 1024 }),
    );
    expect(error.reason).toBe("too_large");
    await endlessClosed;
  });

  it("reports a closed port as unreachable, naming the host but not the query", async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const host = new URL(closed.origin).host;
    const error = await rejection(guardedFetch({ url: `${closed.origin}/v1/items?api_key=s3cret` }, LOCAL));
    expect(error.reason).toBe("unreachable");
    expect(error.message).toContain(host);
    expect(error.message).not.toContain("s3cret");
    expect(error.message).not.toContain("/v1/items");
  });
});
