/**
 * The `executor` CLI's account commands and its ways through Access, run as a child process
 * against the built Worker behind the Access edge stand-in: login (the config file holds
 * only the URL), whoami, status, EXECUTOR_URL, service tokens, cloudflared's token, every
 * kind of refusal, and usage errors (exit 2).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccessEdge } from "../harness/access-edge";
import { runCli, SERVICE_TOKEN, startCliTarget, type CliTarget } from "../harness/executor-cli";

let target: CliTarget;
beforeAll(async () => {
  target = await startCliTarget();
});
afterAll(() => target.close());

describe("login, whoami, status with a service token", () => {
  it("login saves only the URL (0600) and names the identity; whoami and status use it", async () => {
    const env = target.serviceEnv({ EXECUTOR_URL: undefined });
    const login = await runCli(["login", `${target.edge.origin}/executions?x=1`], env);
    expect(login.stderr).toContain(`Saved ${target.edge.origin} in ${join(target.home.configHome, "executor", "config.json")}`);
    expect(login.stdout.trim()).toBe(`Logged in to ${target.edge.origin} as service:${SERVICE_TOKEN.commonName}`);
    expect(login.code).toBe(0);

    const configFile = join(target.home.configHome, "executor", "config.json");
    expect(JSON.parse(readFileSync(configFile, "utf8"))).toEqual({ url: target.edge.origin });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(configFile, "utf8")).not.toContain(SERVICE_TOKEN.clientSecret);

    const whoami = await runCli(["whoami"], env);
    expect(whoami).toMatchObject({ code: 0, stderr: "" });
    expect(whoami.stdout).toBe(`service:${SERVICE_TOKEN.commonName}\nroles: none\norganization: Acme Corp (acme-corp)\n`);

    const status = await runCli(["status"], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^Executor \\d+\\.\\d+\\.\\d+ at ${target.edge.origin}\\nmigrations: (\\d+) of \\1 applied\\nconfiguration: ok; Access configured\\n$`));

    const json = await runCli(["status", "--json"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ migrations: { pending: [] }, config: { ok: true, accessConfigured: true } });
    expect(target.edge.requests.filter((request) => request.path === "/api/me").every((request) => request.outcome === "service-token")).toBe(true);
  });

  it("a second login rewrites the file and keeps it 0600; EXECUTOR_URL overrides the saved URL", async () => {
    const configFile = join(target.home.configHome, "executor", "config.json");
    mkdirSync(join(target.home.configHome, "executor"), { recursive: true });
    const closed = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(configFile, JSON.stringify({ url: closed }), { mode: 0o644 });
    const viaEnv = await runCli(["whoami"], target.serviceEnv());
    expect(viaEnv.code).toBe(0);

    const saved = await runCli(["whoami"], target.serviceEnv({ EXECUTOR_URL: undefined }));
    expect(saved).toMatchObject({ code: 1, stderr: `error unreachable: Cannot reach ${closed}: ECONNREFUSED\n` });

    expect((await runCli(["login", target.edge.origin], target.serviceEnv())).code).toBe(0);
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
  });
});

describe("cloudflared", () => {
  it("without a service token, the CLI sends the token `cloudflared access token -app=<url>` prints", async () => {
    const env = await target.userEnv("ada@example.com");
    const whoami = await runCli(["whoami", "--json"], env);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ id: "user:ada@example.com", kind: "user", roles: ["approver"] });
    expect(readFileSync(target.cloudflaredLog, "utf8").trim().split("\n").at(-1)).toBe(`access token -app=${target.edge.origin}`);
    expect(target.edge.requests.at(-1)).toMatchObject({ path: "/api/me", outcome: "access-token" });
  });

  it("a service token wins over cloudflared", async () => {
    const before = readFileSync(target.cloudflaredLog, "utf8");
    const whoami = await runCli(["whoami"], target.serviceEnv({ FAKE_CLOUDFLARED_TOKEN: await target.worker.issuer.user("ada@example.com") }));
    expect(whoami.stdout).toMatch(/^service:/);
    expect(readFileSync(target.cloudflaredLog, "utf8")).toBe(before);
  });
});

describe("Access refusing", () => {
  const advice = (origin: string) => `error access_refused: Access refused the request: set CF_ACCESS_CLIENT_ID/SECRET or run cloudflared access login ${origin}\n`;

  it("no credentials (cloudflared has no token): the redirect to the login page is reported with what to do", async () => {
    const result = await runCli(["whoami"], target.home.env({ EXECUTOR_URL: target.edge.origin, FAKE_CLOUDFLARED_LOG: target.cloudflaredLog }));
    expect(result).toEqual({ code: 1, stdout: "", stderr: advice(target.edge.origin) });
    expect(target.edge.requests.at(-1)).toMatchObject({ outcome: "refused" });
  });

  it("no cloudflared installed: the same advice; --json also prints the error object", async () => {
    const emptyPath = join(target.home.dir, "empty-bin");
    mkdirSync(emptyPath, { recursive: true });
    const result = await runCli(["tools", "search", "--json"], target.home.env({ EXECUTOR_URL: target.edge.origin, PATH: emptyPath }));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(advice(target.edge.origin));
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: "access_refused", message: expect.stringContaining("Access refused the request") } });
  });

  it("a wrong service token secret names the service token", async () => {
    const result = await runCli(["whoami"], target.serviceEnv({ CF_ACCESS_CLIENT_SECRET: "wrong" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error access_refused: Access refused the request: check CF_ACCESS_CLIENT_ID/SECRET");
    expect(result.stderr).not.toContain("wrong");
  });

  it("an expired cloudflared token says to log in again", async () => {
    const expired = await target.worker.issuer.user("ada@example.com", {}, { expiresIn: -600 });
    const result = await runCli(["whoami"], await target.userEnv("ada@example.com", { FAKE_CLOUDFLARED_TOKEN: expired }));
    expect(result).toMatchObject({ code: 1, stderr: `error access_refused: Access refused the request: cloudflared's token was not accepted; run cloudflared access login ${target.edge.origin}\n` });
  });

  it("an Access 403 page (not our JSON) is a refusal too", async () => {
    const forbidding = await startAccessEdge(target.worker, { refusal: "forbidden" });
    try {
      const result = await runCli(["status"], target.home.env({ EXECUTOR_URL: forbidding.origin }));
      expect(result).toEqual({ code: 1, stdout: "", stderr: advice(forbidding.origin) });
    } finally {
      await forbidding.close();
    }
  });

  it("the Worker's own JSON errors are reported with their code", async () => {
    const result = await runCli(["tools", "describe", "nope.nothing"], target.serviceEnv());
    expect(result).toEqual({ code: 1, stdout: "", stderr: "error not_found: No tool nope.nothing\n" });
  });
});

describe("usage", () => {
  it("--help lists the commands and the exit codes; a command's --help its options", async () => {
    const help = await runCli(["--help"], target.home.env());
    expect(help.code).toBe(0);
    for (const command of ["login <url>", "whoami", "status", "tools search", "tools describe <address>", "run <file.ts | ->", "resume <id>", "executions list", "executions show <id>", "integrations list", "integrations add <url>"]) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    expect(help.stdout).toMatch(/Exit codes:\n  0 .*\n  1 .*\n.*\n  2  usage error\n  3  the execution is still paused \(--no-wait/);
    expect(help.stdout).toContain("There is no approve command");

    const runHelp = await runCli(["run", "--help"], target.home.env());
    expect(runHelp).toMatchObject({ code: 0 });
    expect(runHelp.stdout).toContain("--no-wait");
    expect((await runCli(["--version"], target.home.env())).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    [[], "No command given"],
    [["bogus"], "Unknown command: bogus"],
    [["tools"], "tools needs a subcommand: search, describe"],
    [["tools", "find"], "Unknown command: tools find"],
    [["whoami", "extra"], "Usage: executor whoami"],
    [["run"], "Usage: executor run <file.ts | ->"],
    [["run", "a.ts", "b.ts"], "Usage: executor run <file.ts | ->"],
    [["run", "/nonexistent/program.ts"], "Cannot read /nonexistent/program.ts: ENOENT"],
    [["run", "-"], "The program in stdin is empty"],
    [["run", "x.ts", "--bogus"], "Unknown option '--bogus'"],
    [["login"], "Usage: executor login <url>"],
    [["login", "ftp://example.com"], "The URL must be https"],
    [["login", "http://executor.example.com"], "Plain http is only for a local Worker"],
    [["login", "https://user:pw@executor.example.com"], "The URL must not carry a user name or password"],
    [["tools", "search", "--limit", "2.5"], "--limit must be a whole number"],
    [["executions", "list", "--status", "done"], "--status must be one of running, paused, completed, failed, cancelled, expired"],
    [["integrations", "add", "not-a-url"], "Not an http(s) URL: not-a-url"],
    [["integrations", "add", "https://api.example.com", "--kind", "soap"], "--kind must be one of openapi, graphql, mcp"],
  ])("%j → exit 2: %s", async (args, message) => {
    const result = await runCli(args, target.serviceEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error usage: ${message}`);
    expect(result.stderr).toContain("Run `executor --help` for usage.");
    expect(result.stdout).toBe("");
  });

  it("no URL anywhere, or half a service token → exit 2", async () => {
    const noUrl = await runCli(["whoami"], target.home.env({ XDG_CONFIG_HOME: join(target.home.dir, "nowhere") }));
    expect(noUrl).toMatchObject({ code: 2, stderr: expect.stringContaining("No Executor URL: run `executor login <url>` or set EXECUTOR_URL") });
    const half = await runCli(["whoami"], target.serviceEnv({ CF_ACCESS_CLIENT_SECRET: undefined }));
    expect(half).toMatchObject({ code: 2, stderr: expect.stringContaining("Set both CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET") });
  });
});

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
