/**
 * `npm run deploy:setup` end to end: the real script runs as a child process in a temp copy of
 * the project (wrangler.jsonc + migrations/), against test/scripts/fake-wrangler/wrangler, which
 * the test puts first on PATH and which keeps a simulated Cloudflare account in a temp folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { secretBox } from "../../worker/secrets";

const root = resolve(import.meta.dirname, "../..");
const tsx = resolve(root, "node_modules/.bin/tsx");
const script = resolve(root, "scripts/deploy-setup.ts");
const fakeWranglerDir = resolve(import.meta.dirname, "fake-wrangler");
const originalConfig = readFileSync(resolve(root, "wrangler.jsonc"), "utf8");
const migrations = readdirSync(resolve(root, "migrations")).filter((file) => file.endsWith(".sql")).sort();

const TEAM_DOMAIN = "acme.cloudflareaccess.com";
const AUD = "5e1d".repeat(16);
const PLACEHOLDER_ID = /"database_id": "([^"]*)"/.exec(originalConfig)![1];
const MUTATING = ["d1 create", "d1 migrations apply", "secret put", "deploy"];

interface FakeState {
  loggedIn: boolean;
  /** The `secrets` table of each database, for `d1 execute`. */
  secretRows?: Record<string, { id: string; ciphertext: string }[]>;
  databases: { uuid: string; name: string }[];
  appliedMigrations: Record<string, string[]>;
  workers: Record<string, { deployments: number; vars: Record<string, string>; secrets: Record<string, string> }>;
}

interface Project {
  dir: string;
  stateDir: string;
  configPath: string;
}

const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function createProject(state: Partial<FakeState> = {}): Project {
  const base = mkdtempSync(join(tmpdir(), "deploy-setup-"));
  projects.push(base);
  const dir = join(base, "project");
  const stateDir = join(base, "account");
  mkdirSync(stateDir, { recursive: true });
  cpSync(resolve(root, "migrations"), join(dir, "migrations"), { recursive: true });
  writeFileSync(join(dir, "wrangler.jsonc"), originalConfig);
  writeFileSync(join(stateDir, "state.json"), JSON.stringify({ loggedIn: true, databases: [], appliedMigrations: {}, workers: {}, ...state }));
  return { dir, stateDir, configPath: join(dir, "wrangler.jsonc") };
}

function runSetup(project: Project, args: string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(tsx, [script, ...args], {
    cwd: project.dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PATH: `${fakeWranglerDir}${delimiter}${process.env.PATH}`,
      FAKE_WRANGLER_STATE: project.stateDir,
      FAKE_WRANGLER_FAIL: "",
      EXECUTOR_SECRET_KEY: "",
      npm_config_user_agent: "npm/10",
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

function readState(project: Project): FakeState {
  return JSON.parse(readFileSync(join(project.stateDir, "state.json"), "utf8"));
}

/** The wrangler commands run so far, arguments joined ("d1 migrations apply DB --remote"). */
function calls(project: Project): string[] {
  return readFileSync(join(project.stateDir, "calls.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { args: string[] }).args.join(" "));
}

function mutatingCalls(project: Project): string[] {
  return calls(project).filter((call) => MUTATING.some((command) => call.startsWith(command)));
}

function configWith(values: { databaseId?: string; teamDomain?: string; aud?: string }): string {
  let text = originalConfig;
  if (values.databaseId) text = text.replace(`"database_id": "${PLACEHOLDER_ID}"`, `"database_id": "${values.databaseId}"`);
  if (values.teamDomain) text = text.replace(`"ACCESS_TEAM_DOMAIN": ""`, `"ACCESS_TEAM_DOMAIN": "${values.teamDomain}"`);
  if (values.aud) text = text.replace(`"ACCESS_AUD": ""`, `"ACCESS_AUD": "${values.aud}"`);
  return text;
}

describe("deploy:setup", () => {
  it("a first run creates everything and writes the database id and Access settings into wrangler.jsonc", () => {
    const project = createProject();
    const run = runSetup(project, ["--team-domain", TEAM_DOMAIN, "--aud", AUD]);
    expect(run.status, run.output).toBe(0);

    const state = readState(project);
    expect(state.databases.map((db) => db.name)).toEqual(["executor"]);
    const id = state.databases[0].uuid;
    expect(state.appliedMigrations[id]).toEqual(migrations);
    const worker = state.workers.executor;
    expect(worker.deployments).toBe(1);
    expect(Object.keys(worker.secrets)).toEqual(["EXECUTOR_SECRET_KEY"]);
    expect(worker.secrets.EXECUTOR_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(worker.vars).toMatchObject({ ACCESS_TEAM_DOMAIN: TEAM_DOMAIN, ACCESS_AUD: AUD });
    // Deployed before the secret goes in: `secret put` on a missing Worker would create a draft.
    expect(mutatingCalls(project)).toEqual(["d1 create executor", "d1 migrations apply DB --remote", "deploy", "secret put EXECUTOR_SECRET_KEY"]);

    // Exactly three values changed; every comment and the layout are as they were.
    expect(readFileSync(project.configPath, "utf8")).toBe(configWith({ databaseId: id, teamDomain: TEAM_DOMAIN, aud: AUD }));
    expect(readFileSync(project.configPath, "utf8")).toContain("// keep them here (not as `--var` flags)");

    expect(run.stdout).toContain(`created database "executor" (${id})`);
    expect(run.stdout).toContain(`applied ${migrations.join(", ")}`);
    expect(run.stdout).toContain("created EXECUTOR_SECRET_KEY");
    // Shown once, so a later --rotate-key can be given it.
    expect(run.stdout).toContain(`store it in your password manager now, it is not shown again (--rotate-key needs it): ${worker.secrets.EXECUTOR_SECRET_KEY}`);
    expect(run.stdout).toContain("Worker: https://executor.acme.workers.dev");
    expect(run.stdout).toContain("application domain executor.acme.workers.dev");
    expect(run.stdout).toMatch(/Managed OAuth/);
    expect(run.stdout).toMatch(/"Service Auth"/);
  });

  it("a second run creates nothing, keeps the secret and leaves wrangler.jsonc byte-identical", () => {
    const project = createProject();
    expect(runSetup(project, ["--team-domain", TEAM_DOMAIN, "--aud", AUD]).status).toBe(0);
    const before = readState(project);
    const configBefore = readFileSync(project.configPath);
    const mtimeBefore = statSync(project.configPath).mtimeMs;
    const callsBefore = calls(project).length;

    const run = runSetup(project);
    expect(run.status, run.output).toBe(0);
    const after = readState(project);
    expect(after.databases).toEqual(before.databases);
    expect(after.appliedMigrations).toEqual(before.appliedMigrations);
    expect(after.workers.executor.secrets).toEqual(before.workers.executor.secrets);
    expect(readFileSync(project.configPath).equals(configBefore)).toBe(true);
    expect(statSync(project.configPath).mtimeMs).toBe(mtimeBefore);
    // Only the deploy repeats (the same code and vars, as a new version).
    expect(mutatingCalls(project).slice(-2)).toEqual(["d1 migrations apply DB --remote", "deploy"]);
    expect(calls(project).slice(callsBefore)).not.toContain("d1 create executor");

    expect(run.stdout).toContain('reused database "executor"');
    expect(run.stdout).toContain("already set: database_id");
    expect(run.stdout).toContain("already applied: no pending migrations");
    expect(run.stdout).toContain(`already set: ACCESS_TEAM_DOMAIN = ${TEAM_DOMAIN}`);
    expect(run.stdout).toContain("already set: EXECUTOR_SECRET_KEY (kept; change it only with --rotate-key)");
    expect(run.stdout).not.toContain(before.workers.executor.secrets.EXECUTOR_SECRET_KEY);
    expect(run.stdout).toContain("wrangler.jsonc has ACCESS_TEAM_DOMAIN=");
  });

  it("reuses an existing database with another id and writes that id; Access settings not given are skipped", () => {
    const existing = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    const project = createProject({ databases: [{ uuid: existing, name: "executor" }], appliedMigrations: { [existing]: [migrations[0]] } });
    const run = runSetup(project);
    expect(run.status, run.output).toBe(0);

    expect(readState(project).databases).toEqual([{ uuid: existing, name: "executor" }]);
    expect(readState(project).appliedMigrations[existing]).toEqual(migrations);
    expect(readFileSync(project.configPath, "utf8")).toBe(configWith({ databaseId: existing }));
    expect(calls(project)).not.toContain("d1 create executor");
    expect(run.stdout).toContain(`updated database_id = ${existing} in wrangler.jsonc (was ${PLACEHOLDER_ID})`);
    expect(run.stdout).toContain(`applied ${migrations.slice(1).join(", ")}`);
    expect(run.stdout).toContain("skipped ACCESS_TEAM_DOMAIN: not given (pass --team-domain <team>.cloudflareaccess.com)");
    expect(run.stdout).toContain("skipped ACCESS_AUD");
    expect(run.stdout).toContain(`npm run deploy:setup -- --team-domain <team>.cloudflareaccess.com --aud <AUD tag>`);
  });

  it("stops with exit 1 and tells how to log in when wrangler is not logged in", () => {
    const project = createProject({ loggedIn: false });
    const run = runSetup(project);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("step 1 (login) failed: wrangler is not logged in");
    expect(run.stderr).toContain("run `npx wrangler login` (or `bunx wrangler login`) first");
    expect(calls(project)).toEqual(["whoami --json"]);
    expect(readFileSync(project.configPath, "utf8")).toBe(originalConfig);
  });

  it("names the failed step, and the next run completes", () => {
    const project = createProject();
    const failed = runSetup(project, ["--team-domain", TEAM_DOMAIN], { FAKE_WRANGLER_FAIL: "deploy" });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("step 5 (deploy) failed: `wrangler deploy` exited with code 1:");
    expect(failed.stderr).toContain("injected failure: deploy");
    expect(failed.stderr).toContain("Fix the error and run `npm run deploy:setup` again: completed steps are skipped.");
    expect(readState(project).workers).toEqual({});

    const retry = runSetup(project);
    expect(retry.status, retry.output).toBe(0);
    const state = readState(project);
    expect(state.databases).toHaveLength(1);
    expect(state.workers.executor.deployments).toBe(1);
    expect(state.workers.executor.secrets.EXECUTOR_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(retry.stdout).toContain('reused database "executor"');
    expect(retry.stdout).toContain("already applied");
    expect(retry.stdout).toContain(`already set: ACCESS_TEAM_DOMAIN = ${TEAM_DOMAIN}`);
    expect(retry.stdout).toContain("created EXECUTOR_SECRET_KEY");
  });

  it("--dry-run prints the plan and changes nothing", () => {
    const project = createProject();
    const stateBefore = readFileSync(join(project.stateDir, "state.json"), "utf8");
    const run = runSetup(project, ["--dry-run", "--team-domain", TEAM_DOMAIN, "--aud", AUD]);
    expect(run.status, run.output).toBe(0);

    expect(readFileSync(join(project.stateDir, "state.json"), "utf8")).toBe(stateBefore);
    expect(readFileSync(project.configPath, "utf8")).toBe(originalConfig);
    expect(mutatingCalls(project)).toEqual([]);
    expect(run.stdout).toContain('would create database "executor"');
    expect(run.stdout).toContain(`would apply those of the ${migrations.length} migrations in migrations/`);
    expect(run.stdout).toContain(`would update ACCESS_TEAM_DOMAIN = ${TEAM_DOMAIN}`);
    expect(run.stdout).toContain(`would update ACCESS_AUD = ${AUD}`);
    expect(run.stdout).toContain('would deploy "executor"');
    expect(run.stdout).toContain("would create EXECUTOR_SECRET_KEY");
    expect(run.stdout).toContain("Dry run: nothing was changed.");
  });

  it("refuses bad flags before running wrangler, and prints --help", () => {
    const project = createProject();
    const bad = runSetup(project, ["--team-domain", "acme.example.com"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--team-domain: "acme.example.com" is not a team domain');
    expect(runSetup(project, ["--aud", "nope"]).status).toBe(1);
    expect(runSetup(project, ["--unknown"]).status).toBe(1);

    const help = runSetup(project, ["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--team-domain <team>.cloudflareaccess.com");
    expect(help.stdout).toContain("--dry-run");
    expect(() => calls(project)).toThrow(/ENOENT/);
  });
});

describe("deploy:setup --rotate-key", () => {
  /** A deployed project whose D1 `secrets` table holds `rows`, sealed under `key` unless given. */
  async function deployedProject(key: string | null, rows: (key: string) => Promise<{ id: string; ciphertext: string }[]>) {
    const project = createProject();
    const first = runSetup(project, ["--team-domain", TEAM_DOMAIN, "--aud", AUD]);
    expect(first.status, first.output).toBe(0);
    const state = readState(project);
    if (key !== null) state.workers.executor.secrets.EXECUTOR_SECRET_KEY = key;
    const current = state.workers.executor.secrets.EXECUTOR_SECRET_KEY;
    state.secretRows = { [state.databases[0].uuid]: await rows(current) };
    writeFileSync(join(project.stateDir, "state.json"), JSON.stringify(state));
    return { project, current, callsBefore: calls(project).length };
  }
  const sealed = async (key: string, id: string) => ({ id, ciphertext: await (await secretBox(key)).encrypt(`value of ${id}`, `secret:${id}`) });
  const OTHER = "another-key-that-is-long-enough-0123456789";

  it("proves the current key, deploys, then sets it as the previous key and a new one, shown once; no key on any command line", async () => {
    const { project, current, callsBefore } = await deployedProject(null, async (key) => [await sealed(key, "connection:a"), await sealed(key, "connection:b")]);
    const run = runSetup(project, ["--rotate-key"], { EXECUTOR_SECRET_KEY: current });
    expect(run.status, run.output).toBe(0);

    const secrets = readState(project).workers.executor.secrets;
    expect(secrets.EXECUTOR_SECRET_KEY_PREVIOUS).toBe(current);
    expect(secrets.EXECUTOR_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.EXECUTOR_SECRET_KEY).not.toBe(current);
    // The code that reads the previous key is deployed before the keys change.
    expect(mutatingCalls(project).slice(-4)).toEqual(["d1 migrations apply DB --remote", "deploy", "secret put EXECUTOR_SECRET_KEY_PREVIOUS", "secret put EXECUTOR_SECRET_KEY"]);
    expect(calls(project).slice(callsBefore).find((call) => call.startsWith("d1 execute DB --remote --json --command"))).toBeDefined();
    const commandLines = calls(project).join("\n");
    expect(commandLines).not.toContain(current);
    expect(commandLines).not.toContain(secrets.EXECUTOR_SECRET_KEY);

    expect(run.stdout).toContain("the key given opens the 2 stored secret(s)");
    expect(run.stdout.split(secrets.EXECUTOR_SECRET_KEY)).toHaveLength(2);
    expect(run.stdout).toContain("store it in your password manager now");
    expect(run.stdout).toContain("https://executor.acme.workers.dev/api/status");
    expect(run.stdout).toContain("npx wrangler secret delete EXECUTOR_SECRET_KEY_PREVIOUS");
    expect(run.stdout).not.toContain(current);
  });

  it.each([
    ["a key that is not the Worker's", async (key: string) => [await sealed(key, "connection:a")], OTHER, "sealed under another key"],
    ["secrets still under an older key (an unfinished rotation)", async (key: string) => [await sealed(key, "connection:a"), await sealed(OTHER, "connection:b")], null, "an earlier rotation is not finished"],
  ] as const)("refuses %s and changes nothing", async (_name, rows, given, message) => {
    const { project, current, callsBefore } = await deployedProject(null, rows);
    const before = readState(project);
    const run = runSetup(project, ["--rotate-key"], { EXECUTOR_SECRET_KEY: given ?? current });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("step 3 (check) failed");
    expect(run.stderr).toContain(message);
    expect(readState(project).workers).toEqual(before.workers);
    expect(calls(project).slice(callsBefore).filter((call) => MUTATING.some((command) => call.startsWith(command)))).toEqual([]);
  });

  it("checks secrets in the older v1 form by opening one", async () => {
    // Sealed with this key by the code before key ids (test/secrets/secret-box.test.ts has the same value).
    const legacyKey = "legacy-key-0123456789abcdef-0123456789";
    const rows = async () => [{ id: "legacy", ciphertext: "v1.a0a594qHkL_DqQr4.c8GA7x7GqjX1pK3iLp5MJga3PrJWPiOSJNgwOetD15w" }];
    const wrong = await deployedProject(legacyKey, rows);
    const refused = runSetup(wrong.project, ["--rotate-key"], { EXECUTOR_SECRET_KEY: OTHER });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("does not open the stored secrets");

    const right = await deployedProject(legacyKey, rows);
    const run = runSetup(right.project, ["--rotate-key"], { EXECUTOR_SECRET_KEY: legacyKey });
    expect(run.status, run.output).toBe(0);
    expect(readState(right.project).workers.executor.secrets.EXECUTOR_SECRET_KEY_PREVIOUS).toBe(legacyKey);
  });

  it("needs the current key from the environment or a terminal, never from the command line", async () => {
    const { project, current, callsBefore } = await deployedProject(null, async () => []);
    const missing = runSetup(project, ["--rotate-key"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("step 2 (key) failed: --rotate-key needs the Worker's current EXECUTOR_SECRET_KEY");
    const onArgv = runSetup(project, ["--rotate-key", current]);
    expect(onArgv.status).toBe(1);
    expect(runSetup(project, ["--rotate-key"], { EXECUTOR_SECRET_KEY: "short" }).stderr).toContain("shorter than 32 characters");
    expect(runSetup(project, ["--rotate-key", "--aud", AUD]).status).toBe(1);
    expect(calls(project).slice(callsBefore).filter((call) => MUTATING.some((command) => call.startsWith(command)))).toEqual([]);
  });

  it("--dry-run checks the key and changes nothing", async () => {
    const { project, current } = await deployedProject(null, async (key) => [await sealed(key, "connection:a")]);
    const before = readFileSync(join(project.stateDir, "state.json"), "utf8");
    const run = runSetup(project, ["--rotate-key", "--dry-run"], { EXECUTOR_SECRET_KEY: current });
    expect(run.status, run.output).toBe(0);
    expect(readFileSync(join(project.stateDir, "state.json"), "utf8")).toBe(before);
    expect(run.stdout).toContain("the key given opens the 1 stored secret(s)");
    expect(run.stdout).toContain("would set EXECUTOR_SECRET_KEY_PREVIOUS");
    expect(run.stdout).toContain("would set EXECUTOR_SECRET_KEY to a new random key");
  });
});
