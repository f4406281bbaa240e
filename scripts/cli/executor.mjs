#!/usr/bin/env node
// @ts-check
/**
 * `executor`: the command-line client of an Executor for Cloudflare deployment, over its
 * HTTP API (docs/cli.md). This file reads the command line, finds the command, runs it and
 * turns its outcome into output and an exit code; the commands are in `commands/`. It has
 * no approve command on purpose: a decision is a person's act in the browser console.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { accessCredentials } from "./access-credentials.mjs";
import { ApiClient } from "./api-client.mjs";
import { login, status, whoami } from "./commands/account.mjs";
import { executionsList, executionsShow } from "./commands/executions.mjs";
import { integrationsAdd, integrationsList } from "./commands/integrations.mjs";
import { resume, run } from "./commands/run.mjs";
import { toolsDescribe, toolsSearch } from "./commands/tools.mjs";
import { resolveBaseUrl } from "./config-file.mjs";
import { CliFailure, EXIT, UsageError } from "./failures.mjs";
import { formatFailure } from "./formatting.mjs";

/** @typedef {import("./command.mjs").Command} Command */
/** @typedef {import("./command.mjs").CommandContext} CommandContext */

/** Every command, in the order `--help` lists them. */
const COMMANDS = [login, whoami, status, toolsSearch, toolsDescribe, run, resume, executionsList, executionsShow, integrationsList, integrationsAdd];
/** Words that only group commands (`tools search`, `executions list`, …). */
const GROUPS = new Set(COMMANDS.filter((command) => command.name.includes(" ")).map((command) => command.name.split(" ")[0]));
/** Options every command takes. */
const GLOBAL_OPTIONS = /** @type {const} */ ({ json: { type: "boolean" }, help: { type: "boolean", short: "h" }, version: { type: "boolean" } });

const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

const HELP = `Usage: executor <command> [options]

The command-line client of an Executor for Cloudflare deployment.

Commands:
${COMMANDS.map((command) => `  ${`${command.name} ${command.args}`.padEnd(30)}${command.summary}`).join("\n")}

Options:
  --json        Print the API's JSON answers instead of text
  -h, --help    Show this help, or a command's (executor run --help)
  --version     Print the CLI's version

Deployment: \`executor login <url>\` saves it in $XDG_CONFIG_HOME/executor/config.json
(else ~/.config/executor/config.json); EXECUTOR_URL overrides it.

Cloudflare Access credentials, the first that is present:
  CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET   a service token
  cloudflared access token -app=<url>               after \`cloudflared access login <url>\`
There is no approve command: a person approves in the browser, at the URL \`run\` prints.

Exit codes:
  0  success (run/resume: the execution completed)
  1  the execution failed, was cancelled or expired, or the API or Access refused
     (printed as "error <code>: <message>")
  2  usage error
  3  the execution is still paused (--no-wait, or Ctrl-C while waiting);
     continue it with \`executor resume <id>\``;

process.exitCode = await main(process.argv.slice(2));

/**
 * Runs one command line and answers the exit code.
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
async function main(argv) {
  /** @type {CommandContext["print"]} */
  const print = (text) => void process.stdout.write(`${text}\n`);
  /** @type {CommandContext["note"]} */
  const note = (text) => void process.stderr.write(`${text}\n`);
  let json = argv.includes("--json");
  try {
    const { command, words, rest } = findCommand(argv);
    if (!command) {
      const asksForHelp = argv.includes("--help") || argv.includes("-h") || words[0] === "help";
      if (words.length === 0 && argv.includes("--version")) {
        print(VERSION);
        return EXIT.ok;
      }
      if (asksForHelp && (words.length === 0 || words[0] === "help" || GROUPS.has(words[0] ?? ""))) {
        print(HELP);
        return EXIT.ok;
      }
      if (words.length === 1 && GROUPS.has(words[0] ?? "")) {
        const subcommands = COMMANDS.filter((candidate) => candidate.name.startsWith(`${words[0]} `)).map((candidate) => candidate.name.split(" ")[1]);
        throw new UsageError(`${words[0]} needs a subcommand: ${subcommands.join(", ")}`);
      }
      throw new UsageError(words.length === 0 ? "No command given" : `Unknown command: ${words.join(" ")}`);
    }
    const parsed = parseCommandLine(command, rest);
    json = parsed.values.json === true;
    if (parsed.values.help) {
      print(commandHelp(command));
      return EXIT.ok;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`Usage: executor ${command.name} ${command.args}`.trimEnd());
    }
    return await command.run({
      positionals: parsed.positionals,
      options: parsed.values,
      json,
      env: process.env,
      print,
      note,
      async connect(baseUrl) {
        const url = baseUrl ?? resolveBaseUrl(process.env);
        return new ApiClient(url, await accessCredentials(url, process.env), `executor-cli/${VERSION}`);
      },
    });
  } catch (error) {
    if (!(error instanceof CliFailure)) throw error;
    note(formatFailure(error.code, error.message, error.details));
    if (error instanceof UsageError) note("Run `executor --help` for usage.");
    else if (json) print(JSON.stringify({ error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } }, null, 2));
    return error.exitCode;
  }
}

/**
 * The command named by the first words of `argv` (global flags may stand before and between
 * them), those words, and the arguments left for the command.
 * @param {string[]} argv
 * @returns {{ command: Command | undefined, words: string[], rest: string[] }}
 */
function findCommand(argv) {
  const globalFlags = new Set(["--json", "--help", "-h", "--version"]);
  /** @type {number[]} */
  const positions = [];
  for (let index = 0; index < argv.length && positions.length < 2; index += 1) {
    const token = argv[index] ?? "";
    if (globalFlags.has(token)) continue;
    if (token.startsWith("-")) break;
    // A second word belongs to the command only after a group word (`tools search`).
    if (positions.length === 1 && !GROUPS.has(argv[positions[0] ?? 0] ?? "")) break;
    positions.push(index);
  }
  const words = positions.map((index) => argv[index] ?? "");
  return {
    command: COMMANDS.find((candidate) => candidate.name === words.join(" ")),
    words,
    rest: argv.filter((_, index) => !positions.includes(index)),
  };
}

/**
 * Parses the command's options and arguments strictly: an unknown option is a usage error.
 * @param {Command} command
 * @param {string[]} args
 */
function parseCommandLine(command, args) {
  /** @type {Record<string, { type: "string" | "boolean", short?: string }>} */
  const options = { ...GLOBAL_OPTIONS };
  for (const [name, spec] of Object.entries(command.options ?? {})) options[name] = { type: spec.type };
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(/** @type {Error} */ (error).message);
  }
}

/**
 * `executor <command> --help`.
 * @param {Command} command
 * @returns {string}
 */
function commandHelp(command) {
  const options = Object.entries(command.options ?? {}).map(([name, spec]) => `  ${`--${name}${spec.value ? ` ${spec.value}` : ""}`.padEnd(22)}${spec.description}`);
  options.push(`  ${"--json".padEnd(22)}Print the API's JSON answer instead of text`);
  return [`Usage: executor ${command.name} ${command.args}`.trimEnd(), "", command.summary, ...(command.help ? ["", command.help] : []), "", "Options:", ...options].join("\n");
}
