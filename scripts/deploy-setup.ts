/**
 * `npm run deploy:setup` (or `bun run deploy:setup`): one idempotent command from a fresh
 * Cloudflare account to a running Worker. Drives the wrangler CLI in the current folder,
 * which must hold wrangler.jsonc and the migrations. The steps, in order:
 *   1 login       wrangler is logged in
 *   2 database    the D1 database exists; its id is in wrangler.jsonc
 *   3 migrations  applied to the remote database
 *   4 access      ACCESS_TEAM_DOMAIN / ACCESS_AUD in wrangler.jsonc vars (flags or prompt)
 *   5 deploy      `wrangler deploy`
 *   6 secret      EXECUTOR_SECRET_KEY uploaded if the Worker has none, and shown once
 * then prints the Worker's URL and the manual Access steps. A rerun skips what is done;
 * `--dry-run` prints the plan and changes nothing. It does not create the Access application.
 *
 * `--rotate-key` replaces EXECUTOR_SECRET_KEY instead (docs/security.md#rotating-the-secret-key):
 *   1 login, 2 key (the current key, from $EXECUTOR_SECRET_KEY or a hidden prompt), 3 check
 *   (it opens the stored secrets), 4 migrations, 5 deploy (the code that reads the previous
 *   key is live before the keys change), 6 previous (EXECUTOR_SECRET_KEY_PREVIOUS = current),
 *   7 new key (shown once, then put); then what to do once /api/status shows nothing left.
 */
import { createInterface } from "node:readline/promises";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseAudTags, parseTeamDomain } from "./deploy-setup/access-settings";
import { describeManualSteps, setupCommand, type Runner } from "./deploy-setup/manual-steps";
import {
  applyMigrations,
  checkLogin,
  deployWorker,
  ensureAccessSettings,
  ensureDatabase,
  ensureSecretKey,
  readAccessSettings,
  type AccessFlags,
  type Ask,
  type StepContext,
} from "./deploy-setup/steps";
import { askHiddenAtTerminal, checkCurrentKey, describeRotationFollowUp, putNewKey, putPreviousKey, readCurrentKey } from "./deploy-setup/rotate-key";
import { resolveWrangler } from "./deploy-setup/wrangler-cli";

const USAGE = `Usage: npm run deploy:setup -- [options]   (or: bun run deploy:setup [options])

Sets up and deploys Executor to the Cloudflare account wrangler is logged in to.
Run it from the project folder; safe to rerun: completed steps are skipped.

Options:
  --team-domain <team>.cloudflareaccess.com   Access team domain, saved as ACCESS_TEAM_DOMAIN
  --aud <tag>[,<tag>]                         Access application AUD tag(s), saved as ACCESS_AUD
  --rotate-key                                replace EXECUTOR_SECRET_KEY with a new one; the current
                                              key comes from $EXECUTOR_SECRET_KEY or a hidden prompt
  --dry-run                                   print the plan; change nothing
  -h, --help                                  show this help

Without --team-domain/--aud the values already in wrangler.jsonc are kept; when they are
empty you are asked for them at a terminal, and otherwise they are skipped.`;

const repoRoot = resolve(import.meta.dirname, "..");

await main(process.argv.slice(2));

async function main(argv: string[]): Promise<void> {
  const runner: Runner = process.env.npm_config_user_agent?.startsWith("bun/") ? "bun" : "npm";
  const options = readOptions(argv);
  if ("error" in options) return fail(`${options.error}\n\n${USAGE}`);
  if (options.help) {
    console.log(USAGE);
    return;
  }

  const configPath = join(process.cwd(), "wrangler.jsonc");
  if (!existsSync(configPath)) return fail(`no wrangler.jsonc in ${process.cwd()}: run this from the project folder.`);
  let executable: string;
  try {
    executable = resolveWrangler(process.env.PATH, repoRoot);
  } catch (error) {
    return fail(errorMessage(error));
  }

  const dryRun = options.dryRun;
  const ask: Ask | null = process.stdin.isTTY && !dryRun ? askAtTerminal : null;
  let workerUrl: string | null = null;
  let currentKey = "";
  const deploy = { name: "deploy", run: async (ctx: StepContext) => void (workerUrl = await deployWorker(ctx)) };
  const steps: { name: string; run: (ctx: StepContext) => Promise<void> }[] = options.rotateKey
    ? [
        { name: "login", run: checkLogin },
        {
          name: "key",
          run: async (ctx) => {
            currentKey = await readCurrentKey(process.env, process.stdin.isTTY ? askHiddenAtTerminal : null);
            ctx.report(`read the current EXECUTOR_SECRET_KEY (${process.env.EXECUTOR_SECRET_KEY ? "from the environment" : "typed"})`);
          },
        },
        { name: "check", run: (ctx) => checkCurrentKey(ctx, currentKey) },
        { name: "migrations", run: applyMigrations },
        deploy,
        { name: "previous", run: (ctx) => putPreviousKey(ctx, currentKey) },
        { name: "new key", run: async (ctx) => void (await putNewKey(ctx, (key) => console.log(showNewKey(key)))) },
      ]
    : [
        { name: "login", run: checkLogin },
        { name: "database", run: ensureDatabase },
        { name: "migrations", run: applyMigrations },
        { name: "access", run: (ctx) => ensureAccessSettings(ctx, options.access, ask) },
        deploy,
        { name: "secret", run: ensureSecretKey },
      ];

  console.log(dryRun ? "Executor deploy setup: dry run, nothing will be changed.\n" : "Executor deploy setup\n");
  for (const [index, step] of steps.entries()) {
    const label = `[${index + 1}/${steps.length}] ${step.name}`;
    const ctx: StepContext = {
      wrangler: { executable, cwd: process.cwd() },
      configPath,
      dryRun,
      report: (line) => console.log(`${label}: ${line}`),
    };
    try {
      await step.run(ctx);
    } catch (error) {
      return fail(
        `\nstep ${index + 1} (${step.name}) failed: ${errorMessage(error)}\n` +
          `Fix the error and run \`${setupCommand(runner)}\` again: completed steps are skipped.`,
      );
    }
  }

  console.log("");
  if (dryRun) {
    console.log("Dry run: nothing was changed. Run without --dry-run to apply this plan.");
    return;
  }
  if (options.rotateKey) {
    console.log(describeRotationFollowUp(workerUrl).join("\n"));
    return;
  }
  const access = readAccessSettings(configPath);
  console.log(describeManualSteps({ workerUrl, ...access, runner }).join("\n"));
}

/** The new key, shown once, before it is put (so no failure can lose it). */
function showNewKey(key: string): string {
  return [
    "",
    "New EXECUTOR_SECRET_KEY: store it in your password manager now; it is not shown again,",
    "and the next rotation needs it. It becomes the Worker's key in the next moment:",
    `  ${key}`,
    "",
  ].join("\n");
}

type Options = { help: boolean; dryRun: boolean; rotateKey: boolean; access: AccessFlags } | { error: string };

/** Parses and checks the flags before anything runs, so a typo changes nothing. */
function readOptions(argv: string[]): Options {
  let values: { help?: boolean; "dry-run"?: boolean; "rotate-key"?: boolean; "team-domain"?: string; aud?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        "dry-run": { type: "boolean" },
        "rotate-key": { type: "boolean" },
        "team-domain": { type: "string" },
        aud: { type: "string" },
      },
    }));
  } catch (error) {
    return { error: errorMessage(error) };
  }
  const access: AccessFlags = {};
  if (values["team-domain"] !== undefined) {
    const result = parseTeamDomain(values["team-domain"]);
    if (!result.ok) return { error: `--team-domain: ${result.reason}` };
    access.teamDomain = result.value;
  }
  if (values.aud !== undefined) {
    const result = parseAudTags(values.aud);
    if (!result.ok) return { error: `--aud: ${result.reason}` };
    access.aud = result.value;
  }
  const rotateKey = values["rotate-key"] ?? false;
  if (rotateKey && (access.teamDomain !== undefined || access.aud !== undefined)) return { error: "--rotate-key runs on its own: give --team-domain/--aud in another run" };
  return { help: values.help ?? false, dryRun: values["dry-run"] ?? false, rotateKey, access };
}

async function askAtTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
