/**
 * `executor executions list` and `executions show` as child processes against the built
 * Worker behind the Access edge stand-in: the history the service token made, paging and
 * the status filter, one record with its code, logs, result and calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCliTarget, type CliTarget } from "../harness/executor-cli";

let target: CliTarget;
const ids: string[] = [];
beforeAll(async () => {
  target = await startCliTarget();
  for (const code of [`return 1`, `console.log("listing"); const found = await tools.executor.policies.list(); return found.total`, `throw new Error("nope")`]) {
    const result = await runCli(["run", "-", "--json"], target.serviceEnv(), code);
    ids.push((JSON.parse(result.stdout) as { executionId: string }).executionId);
  }
});
afterAll(() => target.close());

describe("executions list", () => {
  it("lists the caller's executions, newest first, one a line", async () => {
    const result = await runCli(["executions", "list"], target.serviceEnv());
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 3).map((line) => line.split(/ +/)[0])).toEqual([...ids].reverse());
    expect(lines[0]).toMatch(/^ex_\S+ +failed +\d{4}-\d\d-\d\dT\S+Z +ci-bot\.access +throw new Error\("nope"\)$/);
    expect(lines[2]).toMatch(/ completed /);
    expect(lines.at(-1)).toBe("3 of 3 executions");
  });

  it("filters by status and pages", async () => {
    const failed = JSON.parse((await runCli(["executions", "list", "--status", "failed", "--json"], target.serviceEnv())).stdout) as { items: { id: string }[]; total: number };
    expect(failed).toMatchObject({ total: 1, items: [{ id: ids[2] }] });
    const paged = await runCli(["executions", "list", "--limit", "1", "--offset", "1"], target.serviceEnv());
    expect(paged.stdout).toMatch(new RegExp(`^${ids[1]} .*\\n1 of 3 executions; more with --offset 2\\n$`));
  });
});

describe("executions show", () => {
  it("shows the code, logs, result and every call", async () => {
    const result = await runCli(["executions", "show", ids[1]!], target.serviceEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${ids[1]}  completed  by service:ci-bot\\.access  \\S+  \\(\\d+ ms\\)\\n`));
    expect(result.stdout).toContain("\ncode:\n  console.log(\"listing\");");
    expect(result.stdout).toContain("\nlogs:\n  listing\n");
    expect(result.stdout).toContain("\nresult:\n  0\n");
    expect(result.stdout).toMatch(/\ncalls:\n {2}#0 +executor\.policies\.list +allow +ok\n$/);
  });

  it("shows a failure's error; --json is the record", async () => {
    const result = await runCli(["executions", "show", ids[2]!], target.serviceEnv());
    expect(result.stdout).toMatch(/\nerror runtime_error: .*nope/);
    const json = JSON.parse((await runCli(["executions", "show", ids[2]!, "--json"], target.serviceEnv())).stdout);
    expect(json).toMatchObject({ id: ids[2], status: "failed", error: { code: "runtime_error" } });
  });

  it("an unknown id is exit 1 with not_found", async () => {
    expect(await runCli(["executions", "show", "ex_missing"], target.serviceEnv())).toEqual({ code: 1, stdout: "", stderr: "error not_found: No execution ex_missing\n" });
  });
});
