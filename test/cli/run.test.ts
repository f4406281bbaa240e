/**
 * `executor run` and `executor resume` as child processes against the built Worker behind
 * the Access edge stand-in: programs from a file and from stdin, failures (exit 1 with the
 * code), and approvals. A pause is decided the way a person decides it, by the console's
 * same-origin POST with an admin's assertion (the CLI has no approve command); meanwhile the
 * CLI keeps resuming and then prints the result. `--no-wait` and Ctrl-C leave it paused (3).
 * The approval-needing call is the built-in `executor.policies.create` (admins only), so
 * those runs use an admin's token from the fake cloudflared.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide } from "../harness/executions";
import { runCli, startCli, startCliTarget, type CliTarget } from "../harness/executor-cli";

const ADMIN = "admin@example.com";
const APPROVAL_LINE = /Approval needed: executor\.policies\.create — open (http:\/\/127\.0\.0\.1:\d+\/executions\/(ex_[\w-]+))\n/;

let target: CliTarget;
beforeAll(async () => {
  target = await startCliTarget();
});
afterAll(() => target.close());

/** A program that logs, then needs approval for `pattern`, then logs and returns. */
function createPolicyProgram(pattern: string): string {
  return `
console.log("before");
const rule = await tools.executor.policies.create({ pattern: ${JSON.stringify(pattern)}, action: "block" });
console.log("created", rule.pattern);
return { created: rule.pattern };
`;
}

async function executionStatus(id: string): Promise<string> {
  const response = await target.worker.asUser(ADMIN, `/api/executions/${id}`);
  return ((await response.json()) as { status: string }).status;
}

describe("run", () => {
  it("runs TypeScript from a file: logs on stderr, the result as JSON on stdout", async () => {
    const file = join(target.home.dir, "program.ts");
    writeFileSync(file, `const n: number = 21;\nconsole.log("doubling", n);\nconsole.log({ step: 2 });\nreturn { answer: n * 2, list: [1, "two"] };\n`);
    const result = await runCli(["run", file], target.serviceEnv());
    expect(result).toEqual({ code: 0, stderr: 'doubling 21\n{"step":2}\n', stdout: `${JSON.stringify({ answer: 42, list: [1, "two"] }, null, 2)}\n` });
  });

  it("reads the program from stdin with `-`; --json prints the API's answer", async () => {
    const result = await runCli(["run", "-", "--json"], target.serviceEnv(), `console.log("hi"); return "from stdin";`);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ executionId: expect.stringMatching(/^ex_/), status: "completed", result: "from stdin", logs: ["hi"] });
  });

  it.each([
    ["a thrown error", `console.log("about to fail"); throw new Error("boom")`, "runtime_error", "boom"],
    ["a syntax error", `return (`, "syntax_error", ""],
    ["an uncaught tool error", `await tools.nothing.here(); return 1`, "tool_not_found", "nothing.here"],
  ])("%s fails with exit 1 and the execution's error code", async (_name, code, errorCode, inMessage) => {
    const result = await runCli(["run", "-"], target.serviceEnv(), code);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(new RegExp(`^(about to fail\\n)?error ${errorCode}: .*${inMessage}`, "m"));
  });

  it("an API error (a body over 1 MB) is exit 1 with the API's code", async () => {
    const result = await runCli(["run", "-"], target.serviceEnv(), `return "${"x".repeat(1_100_000)}"`);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error payload_too_large: /) });
  });
});

describe("approvals", () => {
  it("prints the approval URL, waits, and completes once a person approves in the browser", async () => {
    const file = join(target.home.dir, "create-policy.ts");
    writeFileSync(file, createPolicyProgram("cli-approved.*"));
    const running = startCli(["run", file], await target.userEnv(ADMIN));
    const [, url, id] = await running.stderrMatching(APPROVAL_LINE);
    expect(url).toBe(`${target.edge.origin}/executions/${id}`);
    await running.stderrMatching(/Waiting for the decision/);
    expect(await executionStatus(id!)).toBe("paused");

    expect((await decide(target.worker, id!, 0, "approve", ADMIN)).status).toBe(200);
    const result = await running.result;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ created: "cli-approved.*" });
    // The resumed run replays the program: its earlier log is printed once.
    expect(result.stderr.match(/^before$/gm)).toHaveLength(1);
    expect(result.stderr).toMatch(/^before\nApproval needed: [^\n]+\n {2}arguments: \{"action":"block","pattern":"cli-approved\.\*"\}\nWaiting for the decision[^\n]*\ncreated cli-approved\.\*\n$/);
    expect(await executionStatus(id!)).toBe("completed");
  });

  it("a declined call fails the run with exit 1 and `declined`", async () => {
    const running = startCli(["run", "-"], await target.userEnv(ADMIN), createPolicyProgram("cli-declined.*"));
    const [, , id] = await running.stderrMatching(APPROVAL_LINE);
    expect((await decide(target.worker, id!, 0, "decline", "bob@example.com")).status).toBe(200);
    const result = await running.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\nerror declined: .*bob@example\.com/);
  });

  it("--no-wait returns at the pause with exit 3; resume --no-wait too; resume after approval completes", async () => {
    const env = await target.userEnv(ADMIN);
    const paused = await runCli(["run", "-", "--no-wait"], env, createPolicyProgram("cli-later.*"));
    expect(paused.code).toBe(3);
    const id = APPROVAL_LINE.exec(paused.stderr)![2]!;
    expect(paused.stderr).toContain(`Execution ${id} is paused. Continue with: executor resume ${id}\n`);
    expect(paused.stdout).toBe("");

    const still = await runCli(["resume", id, "--no-wait", "--json"], env);
    expect(still.code).toBe(3);
    expect(JSON.parse(still.stdout)).toMatchObject({ executionId: id, status: "paused", approval: { callId: 0, tool: "executor.policies.create" } });

    expect((await decide(target.worker, id, 0, "approve", ADMIN)).status).toBe(200);
    const resumed = await runCli(["resume", id], env);
    expect(resumed).toEqual({ code: 0, stderr: "before\ncreated cli-later.*\n", stdout: `${JSON.stringify({ created: "cli-later.*" }, null, 2)}\n` });

    // Resuming a finished execution shows how it ended.
    expect(await runCli(["resume", id], env)).toMatchObject({ code: 0, stdout: resumed.stdout });
  });

  it("Ctrl-C while waiting stops waiting, leaves the execution paused and prints the resume command (exit 3)", async () => {
    const running = startCli(["run", "-"], await target.userEnv(ADMIN), createPolicyProgram("cli-interrupted.*"));
    const [, , id] = await running.stderrMatching(APPROVAL_LINE);
    await running.stderrMatching(/Waiting for the decision/);
    running.child.kill("SIGINT");
    const result = await running.result;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`Stopped waiting. Execution ${id} stays paused; continue with: executor resume ${id}\n`);
    expect(await executionStatus(id!)).toBe("paused");
  });

  it("a cancelled execution: exit 1 with `cancelled`", async () => {
    const env = await target.userEnv(ADMIN);
    const paused = await runCli(["run", "-", "--no-wait"], env, createPolicyProgram("cli-cancelled.*"));
    const id = APPROVAL_LINE.exec(paused.stderr)![2]!;
    expect((await target.worker.asUser(ADMIN, `/api/executions/${id}/cancel`, { method: "POST" })).status).toBe(200);
    expect(await runCli(["resume", id], env)).toMatchObject({ code: 1, stderr: `before\nerror cancelled: Execution ${id} was cancelled\n` });
  });

  it("resume of an execution that is not the caller's is not found (exit 1)", async () => {
    const paused = await runCli(["run", "-", "--no-wait"], await target.userEnv(ADMIN), createPolicyProgram("cli-other.*"));
    const id = APPROVAL_LINE.exec(paused.stderr)![2]!;
    const result = await runCli(["resume", id], target.serviceEnv());
    expect(result).toEqual({ code: 1, stdout: "", stderr: `error not_found: No execution ${id}\n` });
  });
});

describe("a pause nobody decides", () => {
  let shortLived: CliTarget;
  beforeAll(async () => {
    shortLived = await startCliTarget({ bindings: { APPROVAL_TTL_HOURS: String(2 / 3600) } });
  });
  afterAll(() => shortLived.close());

  it("expires while the CLI waits: exit 1 with `expired`", async () => {
    const result = await runCli(["run", "-"], await shortLived.userEnv(ADMIN), createPolicyProgram("cli-expired.*"));
    const id = APPROVAL_LINE.exec(result.stderr)![2]!;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error expired: Execution ${id} expired before anyone decided\n`);
  });
});
