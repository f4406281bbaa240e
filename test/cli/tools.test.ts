/**
 * `executor tools search` and `tools describe` as child processes against the built Worker
 * behind the Access edge stand-in, on the built-in `executor.*` tools every Worker has.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCliTarget, type CliTarget } from "../harness/executor-cli";

let target: CliTarget;
beforeAll(async () => {
  target = await startCliTarget();
});
afterAll(() => target.close());

describe("tools search", () => {
  it("lists matching tools a line each with their policy, then the count", async () => {
    const result = await runCli(["tools", "search", "create", "policy"], target.serviceEnv());
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^executor\.policies\.create +approve +\S/);
    expect(lines.at(-1)).toMatch(/^\d+ of \d+ tools$/);
  });

  it("pages with --limit and --offset, and says how to get more", async () => {
    const first = await runCli(["tools", "search", "--limit", "2", "--integration", "executor"], target.serviceEnv());
    const lines = first.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^2 of (\d+) tools; more with --offset 2$/);
    const second = await runCli(["tools", "search", "--limit", "2", "--offset", "2", "--json", "--integration", "executor"], target.serviceEnv());
    const page = JSON.parse(second.stdout) as { items: { address: string }[]; total: number };
    expect(page.items).toHaveLength(2);
    expect(page.items.map((item) => item.address)).not.toContain(lines[0]!.split(" ")[0]);
  });

  it("no match says so", async () => {
    const result = await runCli(["tools", "search", "--integration", "nothing-here"], target.serviceEnv());
    expect(result).toEqual({ code: 0, stdout: "No tools match.\n", stderr: "" });
  });
});

describe("tools describe", () => {
  it("prints the address, the policy, the description and the TypeScript signature", async () => {
    const result = await runCli(["tools", "describe", "executor.policies.create"], target.serviceEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^executor\.policies\.create\npolicy: approve \(default approve\)\n\n.+\n\n/);
    expect(result.stdout).toMatch(/pattern: string/);
    const json = JSON.parse((await runCli(["tools", "describe", "executor.policies.create", "--json"], target.serviceEnv())).stdout);
    expect(json).toMatchObject({ address: "executor.policies.create", policy: "approve", typescript: expect.stringContaining("pattern") });
    expect(result.stdout).toContain(json.typescript);
  });
});
