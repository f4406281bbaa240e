/**
 * Issue 13, item 9: /mcp never returns internal error text. When something inside `execute`
 * or `resume` fails (here D1 itself: the executions table is gone), the agent gets the
 * contract's opaque `Internal error [id]` and the detail goes to the log only: no D1 or SQLite
 * message, no SQL, no stack. Through the MCP SDK's real Client over HTTP.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type TestWorker } from "../harness/worker";

/** Text that only an internal failure would put in an answer. */
const INTERNAL_TEXT = [/D1_ERROR/i, /SQLITE/i, /no such table/i, /\bselect\b[\s\S]*\bfrom\b/i, /\binsert into\b/i, /\bupdate\b[\s\S]*\bset\b/i, /Failed query/i, /\bat [\w.<>]+ \(/, /\.js:\d+/];

describe("item 9: /mcp hides internal failures", () => {
  let worker: TestWorker;
  let client: Client;

  beforeAll(async () => {
    worker = await startWorker();
    const base = await worker.mf.ready;
    const token = await worker.issuer.user("admin@example.com");
    client = new Client({ name: "test-agent", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", base), { requestInit: { headers: { "cf-access-jwt-assertion": token } } }));
    // Sanity: the server works before the damage.
    const ok = await client.callTool({ name: "execute", arguments: { code: "return 1" } });
    expect(ok.isError).not.toBe(true);
    // The damage: every read or write of an execution now fails inside D1.
    await worker.db.prepare("DROP TABLE execution_calls").run();
    await worker.db.prepare("DROP TABLE executions").run();
  });
  afterAll(async () => {
    await client.close();
    await worker.close();
  });

  /** Calls a tool; whatever comes back (a result or a JSON-RPC error), its text. */
  async function answerText(name: string, args: Record<string, unknown>): Promise<string> {
    try {
      const result = await client.callTool({ name, arguments: args });
      return JSON.stringify(result);
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message} ${JSON.stringify(error)}` : String(error);
    }
  }

  function expectOpaque(text: string): void {
    expect(text).toContain("Internal error [");
    for (const pattern of INTERNAL_TEXT) expect(text, `the answer shows ${pattern}`).not.toMatch(pattern);
  }

  it("item 9: execute whose pause cannot be written answers `Internal error [id]` and nothing of D1", async () => {
    const text = await answerText("execute", { code: `return await tools.executor.policies.create({ pattern: "mcp9.*", action: "block" })` });
    expectOpaque(text);
  });

  it("item 9: resume that cannot read the execution answers `Internal error [id]` and nothing of D1", async () => {
    const text = await answerText("resume", { executionId: "ex_00000000000000000000000000000000", waitSeconds: 0 });
    expectOpaque(text);
  });

  it("item 9: the detail is in the Worker's log, with the id the agent saw", async () => {
    const text = await answerText("resume", { executionId: "ex_11111111111111111111111111111111", waitSeconds: 0 });
    const id = /Internal error \[([^\]]+)\]/.exec(text)?.[1];
    expect(id, text).toBeTruthy();
    expect(worker.logs.join("\n")).toMatch(new RegExp(`${id}[\\s\\S]*no such table`));
  });
});
