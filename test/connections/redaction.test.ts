/**
 * Issue 13, item 6: a connection's secret never comes back out, however the upstream dresses
 * it. A hostile API receives its key in the query (`apiKey`) and echoes it URL-encoded,
 * form-encoded, base64-encoded and JSON-escaped, in a success body and in an error body; the
 * program may also pad a request so that the key straddles the 2,000-character cut of an
 * error's details, leaving a prefix that a verbatim match no longer finds. None of it may
 * reach the execution's answer, its history (or the rows behind it) or any log.
 *
 * The key is chosen so that every encoding changes it: `/ + = & " \ space é`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttackConnection, addAttackIntegration, secretEncodings, startAttackApi, type AttackApi } from "../harness/attack-api";
import { execute, type ExecutionView } from "../harness/executions";
import { readHistory, waitForHistory } from "../harness/history";
import { startHostileMcpServer, type HostileMcpServer } from "../harness/hostile-mcp-server";
import { startWorker, type TestWorker } from "../harness/worker";

const SECRET = 'k3y/+=&"\\ é-7Qz9Xw1Pv5';
/** A leaked piece this long identifies the key (or most of it). */
const WINDOW = 8;
/** sources/http-call.ts keeps this many characters of an error body. */
const ERROR_DETAILS_CHARS = 2_000;

/** Every string inside a JSON value, keys included. */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, inner]) => [key, ...stringsIn(inner)]);
  return [];
}

/** A text as sent and, when it is JSON, every string in it (which undoes one level of escaping). */
function readable(text: string): string[] {
  try {
    return [text, ...stringsIn(JSON.parse(text))];
  } catch {
    return [text];
  }
}

/** The encodings of `secret` found in any haystack, as `name in where`. */
function encodedLeaks(places: Record<string, string[]>, secret = SECRET): string[] {
  const found: string[] = [];
  for (const [name, needle] of Object.entries(secretEncodings(secret))) {
    for (const [where, haystacks] of Object.entries(places)) if (haystacks.some((haystack) => haystack.includes(needle))) found.push(`${name} in ${where}`);
  }
  return found;
}

/** Substrings of the secret of WINDOW or more characters found in any haystack. */
function windowLeaks(haystacks: string[]): string[] {
  const found = new Set<string>();
  for (let start = 0; start + WINDOW <= SECRET.length; start++) {
    const piece = SECRET.slice(start, start + WINDOW);
    if (haystacks.some((haystack) => haystack.includes(piece))) found.add(piece);
  }
  return [...found];
}

/** Runs `code`, waits for its history, and answers every place the secret must not be. */
async function runAndCollect(worker: TestWorker, code: string): Promise<{ view: ExecutionView; places: Record<string, string[]> }> {
  const response = await worker.asUser("admin@example.com", "/api/executions", { method: "POST", body: JSON.stringify({ code }) });
  const answer = await response.text();
  expect(response.status, answer).toBe(200);
  const view = JSON.parse(answer) as ExecutionView;
  await waitForHistory(worker, view.executionId, (record) => record.status !== "running");
  const history = await readHistory(worker, view.executionId);
  const rows = await worker.db.prepare("SELECT * FROM execution_calls WHERE execution_id = ?").bind(view.executionId).all();
  const executionRow = await worker.db.prepare("SELECT * FROM executions WHERE id = ?").bind(view.executionId).first();
  return {
    view,
    places: {
      answer: readable(answer),
      history: readable(history?.text ?? ""),
      // The rows as D1 keeps them: columns holding JSON are read one level down too.
      "history rows": [...stringsIn(rows.results), ...stringsIn(executionRow)].flatMap(readable),
      logs: [...view.logs, worker.logs.join("\n")],
    },
  };
}

describe("item 6: secrets echoed back in other encodings are redacted everywhere", () => {
  let api: AttackApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startAttackApi();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    await addAttackIntegration(worker, api);
    await addAttackConnection(worker, "default", { type: "apiKey", key: SECRET, name: "apiKey", in: "query" }, { shared: true });
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it("the API really received the key, and the echo carries it in every encoding (the attack is live)", async () => {
    const before = api.requests.length;
    await execute(worker, `return await tools.attack_api.attack.echoKey({ mode: "ok" })`);
    expect(api.requests.slice(before).map((request) => request.apiKey)).toEqual([SECRET]);
  });

  it("item 6: a success body echoing the key URL-, form-, base64- and JSON-encoded leaks none of them", async () => {
    const { view, places } = await runAndCollect(worker, `const r = await tools.attack_api.attack.echoKey({ mode: "ok" }); console.log(JSON.stringify(r)); return r;`);
    expect(view.status).toBe("completed");
    expect(encodedLeaks(places)).toEqual([]);
  });

  it("item 6: an error body echoing the key in those encodings leaks none of them (caught: details returned)", async () => {
    const { view, places } = await runAndCollect(
      worker,
      `try { await tools.attack_api.attack.echoKey({ mode: "error" }); return "no error" } catch (e) { console.log(e.message, JSON.stringify(e.details)); return { code: e.code, status: e.status, details: e.details } }`,
    );
    expect(view).toMatchObject({ status: "completed", result: { code: "upstream_error", status: 400 } });
    expect(encodedLeaks(places)).toEqual([]);
  });

  it("item 6: the same error left uncaught leaks nothing either", async () => {
    const { view, places } = await runAndCollect(worker, `await tools.attack_api.attack.echoKey({ mode: "error" }); return 1`);
    expect(view).toMatchObject({ status: "failed", error: { code: "upstream_error" } });
    expect(encodedLeaks(places)).toEqual([]);
  });

  it.each([8, 12, SECRET.length - 1])(
    "item 6: padding so the key straddles the 2,000-character details cut (%i characters of it before the cut) leaves no 8-character piece of it",
    async (before) => {
      const pad = ".".repeat(ERROR_DETAILS_CHARS - before);
      const { view, places } = await runAndCollect(
        worker,
        `try { await tools.attack_api.attack.echoKey({ mode: "straddle", pad: ${JSON.stringify(pad)} }); return "no error" } catch (e) { return { code: e.code, details: e.details } }`,
      );
      expect(view).toMatchObject({ status: "completed", result: { code: "upstream_error" } });
      // The attack is real: the cut falls inside the key.
      expect(String((view.result as { details: unknown }).details).length).toBeGreaterThanOrEqual(ERROR_DETAILS_CHARS - before);
      expect(windowLeaks(places.answer!), "pieces of the key in the answer").toEqual([]);
      expect(windowLeaks([...places.history!, ...places["history rows"]!]), "pieces of the key in the history").toEqual([]);
    },
  );
});

describe("item 6: an upstream MCP server echoing the token in its text content", () => {
  /** No é here: the token travels in an HTTP header. */
  const TOKEN = 'k3y/+=&"\\ -7Qz9Xw1Pv5-mcp';
  let mcp: HostileMcpServer;
  let worker: TestWorker;

  beforeAll(async () => {
    mcp = await startHostileMcpServer();
    worker = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
    const added = await worker.asUser("admin@example.com", "/api/integrations", {
      method: "POST",
      body: JSON.stringify({ kind: "mcp", slug: "hostile_mcp", url: mcp.url, auth: { type: "bearer", token: TOKEN } }),
    });
    expect(added.status, await added.clone().text()).toBe(201);
  });
  afterAll(async () => {
    await worker.close();
    await mcp.close();
  });

  it.each([
    ["a result", "{}"],
    ["an isError result", "{ fail: true }"],
  ])("item 6: %s whose text carries the token encoded leaks none of it", async (_name, args) => {
    const before = mcp.tokens.length;
    const { view, places } = await runAndCollect(worker, `try { const r = await tools.hostile_mcp.echo(${args}); console.log(JSON.stringify(r)); return r } catch (e) { return { code: e.code, message: e.message } }`);
    expect(view.status).toBe("completed");
    expect(mcp.tokens.slice(before), "the server received the token with the call (the attack is live)").toContain(TOKEN);
    expect(encodedLeaks(places, TOKEN)).toEqual([]);
  });
});
