/**
 * The six steps of deploy:setup, each safe to rerun: it looks before it acts and reports what
 * it did (created, reused, updated, already set, skipped; "would …" in a dry run). The order
 * they run in, argument parsing and failure messages belong to scripts/deploy-setup.ts.
 * A step throws on failure; the message says what went wrong, the caller names the step.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseAudTags, parseTeamDomain, type SettingResult } from "./access-settings";
import { readJsoncString, setJsoncString, type JsoncPathSegment } from "./jsonc-edit";
import { requireSuccess, runWrangler, WranglerError, type Wrangler } from "./wrangler-cli";
import {
  isWorkerNotFound,
  parseAppliedMigrations,
  parseCreatedDatabaseId,
  parseDatabaseList,
  parseJsonOutput,
  parseSecretNames,
  parseWhoami,
  parseWorkersDevUrl,
  type WhoamiInfo,
} from "./wrangler-output";

/** What every step gets: where wrangler runs, the config file, and where to report. */
export interface StepContext {
  wrangler: Wrangler;
  /** `<project>/wrangler.jsonc`; edited in place, one value at a time. */
  configPath: string;
  /** Plan only: read-only wrangler calls, no changes, no file writes. */
  dryRun: boolean;
  /** Prints one line of this step's report. */
  report(line: string): void;
}

/** Asks the person at the terminal one question; absent when nobody can answer. */
export type Ask = (question: string) => Promise<string>;

/** Access settings given on the command line, already checked. */
export interface AccessFlags {
  teamDomain?: string;
  aud?: string;
}

const D1_BINDING: JsoncPathSegment[] = ["d1_databases", { key: "binding", equals: "DB" }];
const SECRET_NAME = "EXECUTOR_SECRET_KEY";
const SECRET_KEY_BYTES = 32;

/** Step 1: wrangler must be logged in (`whoami --json`; plain `whoami` exits 0 when logged out). */
export async function checkLogin(ctx: StepContext): Promise<void> {
  const result = await runWrangler(ctx.wrangler, ["whoami", "--json"]);
  let info: WhoamiInfo | null = null;
  try {
    info = parseWhoami(parseJsonOutput(result.stdout));
  } catch {
    // Not JSON: reported below with wrangler's own output.
  }
  if (info?.loggedIn === false) {
    throw new Error("wrangler is not logged in: run `npx wrangler login` (or `bunx wrangler login`) first.");
  }
  if (info === null || result.code !== 0) throw new WranglerError(result);
  const accounts = info.accounts.map((account) => account.name).join(", ");
  // With several accounts, non-interactive wrangler needs CLOUDFLARE_ACCOUNT_ID (or the account
  // it cached from an earlier choice); if it has neither, step 2 fails with wrangler's own list.
  const which = info.accounts.length > 1 ? `accounts: ${accounts}; CLOUDFLARE_ACCOUNT_ID picks one` : `account: ${accounts}`;
  ctx.report(`logged in as ${info.email ?? "an API token"}${accounts === "" ? "" : ` (${which})`}`);
}

/** Step 2: the D1 database exists (created or reused) and its id is in wrangler.jsonc. */
export async function ensureDatabase(ctx: StepContext): Promise<void> {
  const name = readJsoncString(readConfig(ctx), [...D1_BINDING, "database_name"]) || "executor";
  let id = (await listDatabases(ctx)).find((db) => db.name === name)?.uuid ?? null;
  if (id !== null) {
    ctx.report(`reused database "${name}" (${id})`);
  } else if (ctx.dryRun) {
    ctx.report(`would create database "${name}" and write its id to wrangler.jsonc`);
    return;
  } else {
    const output = requireSuccess(await runWrangler(ctx.wrangler, ["d1", "create", name]));
    id = parseCreatedDatabaseId(output) ?? (await listDatabases(ctx)).find((db) => db.name === name)?.uuid ?? null;
    if (id === null) throw new Error(`wrangler created database "${name}" but its id was neither printed nor listed`);
    ctx.report(`created database "${name}" (${id})`);
  }
  ctx.report(writeConfigString(ctx, [...D1_BINDING, "database_id"], id));
}

/** Step 3: every migration in migrations/ is applied to the remote database. */
export async function applyMigrations(ctx: StepContext): Promise<void> {
  if (ctx.dryRun) {
    const dir = readJsoncString(readConfig(ctx), [...D1_BINDING, "migrations_dir"]) || "migrations";
    const files = readdirSync(resolve(dirname(ctx.configPath), dir)).filter((file) => file.endsWith(".sql"));
    ctx.report(`would apply those of the ${files.length} migrations in ${dir}/ not yet applied to the remote database`);
    return;
  }
  const output = requireSuccess(await runWrangler(ctx.wrangler, ["d1", "migrations", "apply", "DB", "--remote"]));
  const applied = parseAppliedMigrations(output);
  ctx.report(applied.length === 0 ? "already applied: no pending migrations" : `applied ${applied.join(", ")}`);
}

/**
 * Step 4: ACCESS_TEAM_DOMAIN and ACCESS_AUD in wrangler.jsonc `vars`, from the flags, else
 * kept, else asked for (at a terminal). Missing settings are skipped, not an error: the AUD tag
 * only exists once the Access application does, and that needs the deployed Worker's hostname.
 */
export async function ensureAccessSettings(ctx: StepContext, flags: AccessFlags, ask: Ask | null): Promise<void> {
  const settings = [
    { name: "ACCESS_TEAM_DOMAIN", flag: "--team-domain", hint: "<team>.cloudflareaccess.com", given: flags.teamDomain, check: parseTeamDomain },
    { name: "ACCESS_AUD", flag: "--aud", hint: "<AUD tag>", given: flags.aud, check: parseAudTags },
  ];
  for (const setting of settings) {
    const path = ["vars", setting.name];
    const current = readJsoncString(readConfig(ctx), path) ?? "";
    let value = setting.given;
    if (value === undefined && current === "" && ask !== null) {
      value = await askUntilValid(ask, `${setting.name} (${setting.hint}, empty to skip): `, setting.check);
    }
    if (value !== undefined) ctx.report(writeConfigString(ctx, path, value));
    else if (current !== "") ctx.report(`already set: ${setting.name} = ${current}`);
    else ctx.report(`skipped ${setting.name}: not given (pass ${setting.flag} ${setting.hint})`);
  }
}

/** Step 5: `wrangler deploy`; returns the workers.dev URL it printed, if any. */
export async function deployWorker(ctx: StepContext): Promise<string | null> {
  const name = readJsoncString(readConfig(ctx), ["name"]) ?? "the Worker";
  if (ctx.dryRun) {
    ctx.report(`would deploy "${name}"`);
    return null;
  }
  const url = parseWorkersDevUrl(requireSuccess(await runWrangler(ctx.wrangler, ["deploy"])));
  ctx.report(`deployed "${name}"${url === null ? " (wrangler printed no workers.dev URL)" : ` to ${url}`}`);
  return url;
}

/**
 * Step 6: the Worker has an EXECUTOR_SECRET_KEY; a new random one is uploaded only when it has
 * none. This runs after the deploy on purpose: before a first deploy the Worker does not exist,
 * `secret list` fails for it and `secret put` would create an empty draft Worker to hold the
 * key. Until the key lands, the just-deployed Worker answers 503 (it fails closed without it).
 */
export async function ensureSecretKey(ctx: StepContext): Promise<void> {
  const list = await runWrangler(ctx.wrangler, ["secret", "list", "--format", "json"]);
  if (list.code !== 0) {
    if (ctx.dryRun && isWorkerNotFound(`${list.stdout}\n${list.stderr}`)) {
      ctx.report(`would create ${SECRET_NAME} (32 random bytes) once the Worker exists`);
      return;
    }
    throw new WranglerError(list);
  }
  if (parseSecretNames(parseJsonOutput(list.stdout)).includes(SECRET_NAME)) {
    // Never replaced here: every stored credential is sealed under this key, so a new value
    // alone would make all of them unreadable. --rotate-key replaces it safely.
    ctx.report(`already set: ${SECRET_NAME} (kept; change it only with --rotate-key)`);
    return;
  }
  if (ctx.dryRun) {
    ctx.report(`would create ${SECRET_NAME} (32 random bytes)`);
    return;
  }
  const key = randomBytes(SECRET_KEY_BYTES).toString("hex");
  requireSuccess(await runWrangler(ctx.wrangler, ["secret", "put", SECRET_NAME], key));
  ctx.report(`created ${SECRET_NAME} (32 random bytes, hex)`);
  // Shown once: wrangler cannot read a secret back, and rotating the key later
  // (--rotate-key) needs the current one. Keeping it is the person's choice, not a file's.
  ctx.report(`store it in your password manager now, it is not shown again (--rotate-key needs it): ${key}`);
}

/** The Access settings wrangler.jsonc holds now ("" when unset), for the closing instructions. */
export function readAccessSettings(configPath: string): { teamDomain: string; aud: string } {
  const text = readFileSync(configPath, "utf8");
  return {
    teamDomain: readJsoncString(text, ["vars", "ACCESS_TEAM_DOMAIN"]) ?? "",
    aud: readJsoncString(text, ["vars", "ACCESS_AUD"]) ?? "",
  };
}

async function listDatabases(ctx: StepContext) {
  return parseDatabaseList(parseJsonOutput(requireSuccess(await runWrangler(ctx.wrangler, ["d1", "list", "--json"]))));
}

function readConfig(ctx: StepContext): string {
  return readFileSync(ctx.configPath, "utf8");
}

/** Sets one string in wrangler.jsonc; the file is not written at all when it already holds it. */
function writeConfigString(ctx: StepContext, path: JsoncPathSegment[], value: string): string {
  const label = String(path[path.length - 1]);
  const before = readConfig(ctx);
  const after = setJsoncString(before, path, value);
  if (after === before) return `already set: ${label} = ${value} in wrangler.jsonc`;
  const previous = readJsoncString(before, path);
  const was = previous === undefined || previous === "" ? "" : ` (was ${previous})`;
  if (ctx.dryRun) return `would update ${label} = ${value} in wrangler.jsonc${was}`;
  writeFileSync(ctx.configPath, after);
  return `updated ${label} = ${value} in wrangler.jsonc${was}`;
}

async function askUntilValid(ask: Ask, question: string, check: (input: string) => SettingResult): Promise<string | undefined> {
  for (;;) {
    const answer = (await ask(question)).trim();
    if (answer === "") return undefined;
    const result = check(answer);
    if (result.ok) return result.value;
    console.log(`  ${result.reason}`);
  }
}
