/** /api/executions: running code over HTTP, and who sees which history. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, sendRefusedBody } from "../harness/assertions";
import { execute } from "../harness/executions";
import { startWorker, type TestWorker } from "../harness/worker";

interface Summary {
  id: string;
  identityId: string;
  status: string;
}

describe("executions API", () => {
  let worker: TestWorker;
  const ids: Record<string, string> = {};
  const listAs = async (token: string, query = "") => {
    const response = await worker.fetch(`/api/executions${query}`, { headers: { "cf-access-jwt-assertion": token } });
    expect(response.status).toBe(200);
    return (await response.json()) as { items: Summary[]; total: number; nextOffset: number | null };
  };

  beforeAll(async () => {
    worker = await startWorker({ bindings: { ADMIN_EMAILS: "admin@example.com" } });
    ids.admin = (await execute(worker, "return 'admin'", "admin@example.com")).executionId;
    ids.bob = (await execute(worker, "return 'bob'", "bob@example.com")).executionId;
    ids.carolPaused = (await execute(worker, `return await tools.executor.policies.create({ pattern: "q.*", action: "allow" })`, "carol@example.com")).executionId;
    const serviceToken = await worker.issuer.service("ci.access");
    const response = await worker.fetch("/api/executions", { method: "POST", headers: { "cf-access-jwt-assertion": serviceToken }, body: JSON.stringify({ code: "return 'ci'" }) });
    ids.service = ((await response.json()) as { executionId: string }).executionId;
    // History writes of finished runs happen after the response; give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  afterAll(() => worker.close());

  it("admins see every execution, newest first, paged", async () => {
    const token = await worker.issuer.user("admin@example.com");
    const all = await listAs(token);
    expect(all.total).toBe(4);
    expect(all.items.map((item) => item.id)).toEqual([ids.service, ids.carolPaused, ids.bob, ids.admin]);
    const page = await listAs(token, "?limit=2&offset=1");
    expect(page.items.map((item) => item.id)).toEqual([ids.carolPaused, ids.bob]);
    expect(page.nextOffset).toBe(3);
    const last = await listAs(token, "?limit=2&offset=2");
    expect(last.nextOffset).toBeNull();
    expect((await listAs(token, "?status=paused")).items.map((item) => item.id)).toEqual([ids.carolPaused]);
  });

  it("a human sees their own executions and the approval queue", async () => {
    const bob = await listAs(await worker.issuer.user("bob@example.com"));
    expect(bob.items.map((item) => item.id).sort()).toEqual([ids.bob, ids.carolPaused].sort());
    const detail = await worker.asUser("bob@example.com", `/api/executions/${ids.carolPaused}`);
    expect(detail.status).toBe(200);
    await expectError(await worker.asUser("bob@example.com", `/api/executions/${ids.admin}`), 404, "not_found");
  });

  it("a service identity sees only its own executions", async () => {
    const service = await listAs(await worker.issuer.service("ci.access"));
    expect(service.items.map((item) => item.id)).toEqual([ids.service]);
  });

  it("the record holds code, identity, status, result, logs and timings", async () => {
    const response = await worker.asUser("admin@example.com", `/api/executions/${ids.bob}`);
    expect(await response.json()).toMatchObject({
      id: ids.bob,
      identity: { id: "user:bob@example.com", label: "bob@example.com" },
      code: "return 'bob'",
      status: "completed",
      result: "bob",
      logs: [],
      calls: [],
    });
  });

  it("bad requests are 400s and leave nothing behind", async () => {
    const before = (await worker.db.prepare("SELECT count(*) AS n FROM executions").first<{ n: number }>())!.n;
    await expectError(await worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: JSON.stringify({}) }), 400, "invalid_request");
    await expectError(await worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: JSON.stringify({ code: 5 }) }), 400, "invalid_request");
    await expectError(await worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: "{" }), 400, "invalid_request");
    await expectError(await worker.asUser("admin@example.com", "/api/executions?status=weird"), 400, "invalid_request");
    const huge = JSON.stringify({ code: `return "${"x".repeat(1100 * 1024)}"` });
    await expectError(await sendRefusedBody(() => worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: huge })), 413, "payload_too_large");
    expect((await worker.db.prepare("SELECT count(*) AS n FROM executions").first<{ n: number }>())!.n).toBe(before);
  });

  it("reads any Unicode in a body as sent, malformed UTF-8 as U+FFFD, and a backslash before one as the error it is", async () => {
    const text = "é ’ 😀 中 \\ \"";
    const run = async (body: string | Uint8Array) => worker.asUser("admin@example.com", "/api/executions", { method: "POST", body });
    const resultOf = async (body: string | Uint8Array) => ((await (await run(body)).json()) as { result: unknown }).result;
    // Mostly ASCII, as real bodies are: non-ASCII characters are read as JSON escapes (http/read-body.ts).
    const padding = ` /* ${"x".repeat(2000)} */`;
    expect(await resultOf(JSON.stringify({ code: `return ${JSON.stringify(text)};${padding}` }))).toBe(text);
    // An escaped backslash before a non-ASCII character is JSON (the program is `return "\é"`);
    // an unescaped one is not.
    expect(await resultOf(String.raw`{"code": "return \"\\é\";${padding}"}`)).toBe("é");
    await expectError(await run(String.raw`{"code": "return 1; // \é${padding}"}`), 400, "invalid_request");
    const encode = (value: string) => new TextEncoder().encode(value);
    const malformed = (pad: string) => new Uint8Array([...encode('{"code": "return \'x'), 0xff, 0xc3, ...encode(`\';${pad}"}`)]);
    expect(await resultOf(malformed(padding))).toBe("x\ufffd\ufffd");
    // Mostly non-ASCII: read plainly (escaping would take more memory), with the same result.
    const mostlyChinese = "中文".repeat(500);
    expect(await resultOf(JSON.stringify({ code: `return ${JSON.stringify(mostlyChinese)}` }))).toBe(mostlyChinese);
    expect(await resultOf(malformed(""))).toBe("x\ufffd\ufffd");
  });
});
