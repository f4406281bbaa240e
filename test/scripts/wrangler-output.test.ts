/**
 * Parsing wrangler 4.86's output, with samples shaped like what the real CLI prints (from
 * node_modules/wrangler/wrangler-dist/cli.js), so the parsers do not only agree with our fake.
 */
import { describe, expect, it } from "vitest";
import {
  isWorkerNotFound,
  parseAppliedMigrations,
  parseCreatedDatabaseId,
  parseDatabaseList,
  parseJsonOutput,
  parseQueryRows,
  parseSecretNames,
  parseWhoami,
  parseWorkersDevUrl,
} from "../../scripts/deploy-setup/wrangler-output";

const ID = "4f0c7a3e-2b9d-4e51-8c6a-1d2e3f4a5b6c";

describe("JSON output", () => {
  it.each([
    ["plain JSON", `{"loggedIn":false}`, { loggedIn: false }],
    ["after a blank line (whoami --json when logged out)", `\n{"loggedIn":false}\n`, { loggedIn: false }],
    ["after a banner", ` ⛅️ wrangler 4.86.0\n───────\n[\n  {"name": "A"}\n]\n`, [{ name: "A" }]],
    ["with colour codes", `\u001b[2m\u001b[22m\n[]`, []],
  ])("is found %s", (_name, stdout, expected) => {
    expect(parseJsonOutput(stdout)).toEqual(expected);
  });

  it("is missing from plain text", () => {
    expect(() => parseJsonOutput("You are not authenticated. Please run `wrangler login`.")).toThrow(/no JSON/);
  });

  it("whoami --json", () => {
    expect(parseWhoami({ loggedIn: false })).toEqual({ loggedIn: false, email: null, accounts: [] });
    expect(
      parseWhoami({ loggedIn: true, authType: "OAuth Token", email: "a@b.c", accounts: [{ name: "Acme", id: "abc" }], tokenPermissions: [] }),
    ).toEqual({ loggedIn: true, email: "a@b.c", accounts: [{ name: "Acme", id: "abc" }] });
    expect(() => parseWhoami({ user: "x" })).toThrow(/whoami/);
  });

  it("d1 list --json and secret list --format json", () => {
    expect(parseDatabaseList([{ uuid: ID, name: "executor", created_at: "2026-01-01", version: "production", num_tables: 3 }])).toEqual([
      { uuid: ID, name: "executor" },
    ]);
    expect(() => parseDatabaseList({ error: "x" })).toThrow();
    expect(parseSecretNames([{ name: "EXECUTOR_SECRET_KEY", type: "secret_text" }])).toEqual(["EXECUTOR_SECRET_KEY"]);
  });
});

describe("human-readable output", () => {
  it.each([
    [
      "the JSON snippet for a wrangler.jsonc project",
      `✅ Successfully created DB 'executor' in region WEUR\nCreated your new D1 database.\n\nTo access your new D1 Database in your Worker, add the following snippet to your configuration file:\n{\n  "d1_databases": [\n    {\n      "binding": "executor",\n      "database_name": "executor",\n      "database_id": "${ID}"\n    }\n  ]\n}`,
      ID,
    ],
    ["the TOML snippet", `[[d1_databases]]\nbinding = "executor"\ndatabase_name = "executor"\ndatabase_id = "${ID.toUpperCase()}"`, ID],
    ["no snippet", "✅ Successfully created DB 'executor'", null],
  ])("d1 create: the id from %s", (_name, output, expected) => {
    expect(parseCreatedDatabaseId(output)).toBe(expected);
  });

  it.each([
    ["nothing pending", "Resource location: remote\n\n✅ No migrations to apply!", []],
    [
      "two migrations (each table printed twice)",
      "Migrations to be applied:\n│ 0000_initial.sql │\n│ 0001_code_mode.sql │\n│ 0000_initial.sql   │ ✅ │\n│ 0001_code_mode.sql │ ✅ │",
      ["0000_initial.sql", "0001_code_mode.sql"],
    ],
  ])("d1 migrations apply: %s", (_name, output, expected) => {
    expect(parseAppliedMigrations(output)).toEqual(expected);
  });

  it.each([
    ["the trigger line", "Uploaded executor (3.41 sec)\nDeployed executor triggers (0.87 sec)\n  https://executor.acme.workers.dev\nCurrent Version ID: x", "https://executor.acme.workers.dev"],
    ["no workers.dev target (custom domain only)", "Deployed executor triggers (0.87 sec)\n  executor.example.com (custom domain)", null],
    ["other links only", "see https://developers.cloudflare.com/workers/", null],
  ])("deploy: the URL from %s", (_name, output, expected) => {
    expect(parseWorkersDevUrl(output)).toBe(expected);
  });

  it.each([
    [`✘ [ERROR] Worker "executor" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`, true],
    ["✘ [ERROR] A request to the Cloudflare API failed.\n  This Worker does not exist on your account. [code: 10007]", true],
    ["✘ [ERROR] Authentication error [code: 10000]", false],
  ])("secret list: a missing Worker is recognised in %#", (output, expected) => {
    expect(isWorkerNotFound(output)).toBe(expected);
  });
});

describe("d1 execute --json", () => {
  it("gives the first statement's rows", () => {
    // The shape of executeRemotely's answer: the API's result per statement.
    const stdout = JSON.stringify([{ results: [{ form: "v1", n: 2 }], success: true, meta: { served_by: "v3-prod", duration: 0.2, changes: 0 } }], null, 2);
    expect(parseQueryRows(parseJsonOutput(stdout))).toEqual([{ form: "v1", n: 2 }]);
    expect(parseQueryRows([{ results: [], success: true, meta: {} }])).toEqual([]);
  });

  it.each([[{ error: { text: "no such table: secrets" } }], [[{ success: false, results: [] }]], [[]]])("refuses %j", (json) => {
    expect(() => parseQueryRows(json)).toThrow(/d1 execute/);
  });
});
