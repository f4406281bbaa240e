/**
 * Issue 13, items 10 and 11: bad input at the edge gets a clear 4xx, never a 500 and never a
 * body read without its cap. (10) A path parameter that is not valid percent-encoding is a 400.
 * (11) Every route that takes a body refuses one over the cap with 413 `payload_too_large`,
 * whether or not its handler reads the body: the routes come from the Worker's own route table
 * (GET /api/openapi.json), so a route added later is covered without touching this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, addPolicy, startAttackApi, type AttackApi } from "../harness/attack-api";
import { expectError, sendRefusedBody } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, WORKER_ORIGIN, type TestWorker } from "../harness/worker";

const MiB = 1024 * 1024;
/** The ordinary cap is 1 MiB; the spec upload (POST /api/integrations) allows 25 MB. */
const OVER_ORDINARY_CAP = 2 * MiB;
const OVER_SPEC_CAP = 26 * MiB;

/** A JSON object body of about `bytes` bytes. */
function bodyOf(bytes: number): string {
  return JSON.stringify({ pad: "x".repeat(bytes) });
}

describe("item 10: a path parameter that is not valid percent-encoding", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("item 10: GET /api/tools/%E0%A4%A → 400 invalid_request, not 500", async () => {
    await expectError(await worker.asUser("admin@example.com", "/api/tools/%E0%A4%A"), 400, "invalid_request");
  });
});

describe("item 11: every body-reading route honours the body cap", () => {
  let api: AttackApi;
  let worker: TestWorker;
  /** Real values for each route's parameters, so no route can answer 404 before looking at the body. */
  const params: Record<string, string> = {};

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "bearer", token: "admin-token-0123456789" });
    params.policy = await addPolicy(worker, "attack_api.attack.rm", "block");
    // A finished execution: a route that ignored the body would still answer at once.
    params.execution = (await execute(worker, "return 1")).executionId;
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  /** `/api/executions/{id}/resume` → a real path. */
  function concrete(path: string): string {
    return path
      .replace("{slug}", "attack_api")
      .replace("{name}", "default")
      .replace(/^\/api\/policies\/\{id\}/, `/api/policies/${params.policy}`)
      .replace(/^\/api\/executions\/\{id\}/, `/api/executions/${params.execution}`)
      .replace(/\{[^}]+\}/g, "x");
  }

  /** Sends an oversized body as the console would (same-origin browser headers); answers status and code. */
  async function oversized(method: string, path: string, bytes: number): Promise<string> {
    let response: Response;
    try {
      response = await sendRefusedBody(() =>
        worker.asUser("admin@example.com", path, {
          method,
          headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "sec-fetch-site": "same-origin", origin: WORKER_ORIGIN },
          body: bodyOf(bytes),
        }),
      );
    } catch (error) {
      return `request failed: ${String(error)} ${String((error as { cause?: unknown }).cause)}`;
    }
    const text = await response.text();
    let code = "";
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? "";
    } catch {
      code = text.slice(0, 80);
    }
    return `${response.status} ${code}`;
  }

  it("item 11: each POST/PATCH/PUT route in the route table answers 413 payload_too_large to a body over its cap", async () => {
    const document = (await (await worker.asUser("admin@example.com", "/api/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => method === "post" || method === "patch" || method === "put")
        .map((method) => [method.toUpperCase(), path] as const),
    );
    expect(routes.map(([method, path]) => `${method} ${path}`)).toEqual(expect.arrayContaining(["POST /api/executions/{id}/resume", "POST /api/integrations", "PATCH /api/policies/{id}"]));

    const wrong: string[] = [];
    for (const [method, path] of routes) {
      const bytes = method === "POST" && path === "/api/integrations" ? OVER_SPEC_CAP : OVER_ORDINARY_CAP;
      const answer = await oversized(method, concrete(path), bytes);
      if (answer !== "413 payload_too_large") wrong.push(`${method} ${path} → ${answer}`);
    }
    expect(wrong, "routes that did not refuse the oversized body").toEqual([]);
  });

  it("item 11: /mcp refuses a 2 MB JSON-RPC message with 413", async () => {
    const message = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "execute", arguments: { code: `return ${JSON.stringify("x".repeat(OVER_ORDINARY_CAP))}.length` } } };
    const response = await worker.asUser("admin@example.com", "/mcp", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify(message),
    });
    await expectError(response, 413, "payload_too_large");
  });

  it("item 11: the cap holds without a Content-Length too (a streamed body)", async () => {
    const streamedBody = () => {
      const chunk = new TextEncoder().encode(`{"pad":"${"x".repeat(64 * 1024)}`);
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > OVER_ORDINARY_CAP) {
            controller.enqueue(new TextEncoder().encode('"}'));
            controller.close();
            return;
          }
          controller.enqueue(sent === 0 ? chunk : new TextEncoder().encode("x".repeat(64 * 1024)));
          sent += 64 * 1024;
        },
      });
    };
    const response = await sendRefusedBody(() =>
      worker.asUser("admin@example.com", `/api/executions/${params.execution}/resume`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: streamedBody() as never,
        duplex: "half",
      } as never),
    );
    await expectError(response, 413, "payload_too_large");
  });
});
