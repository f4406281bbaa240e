// @ts-check
/**
 * What a command is (its name, arguments, options and `run`) and what it is given (the
 * parsed command line, output, and a way to reach the API). Shared by the entry point and
 * every file in `commands/`; it runs nothing itself.
 */
import { UsageError } from "./failures.mjs";

/**
 * @typedef {object} OptionSpec
 * @property {"string" | "boolean"} type
 * @property {string} description
 * @property {string} [value] the placeholder shown in help, e.g. "<n>"
 */

/**
 * @typedef {object} CommandContext
 * @property {string[]} positionals the arguments after the command's name
 * @property {Record<string, string | boolean | undefined>} options
 * @property {boolean} json `--json`: print the API's answers instead of text
 * @property {NodeJS.ProcessEnv} env
 * @property {(baseUrl?: string) => Promise<import("./api-client.mjs").ApiClient>} connect
 *   a client for `baseUrl`, else for EXECUTOR_URL or the saved URL
 * @property {(text: string) => void} print a line on stdout (the command's output)
 * @property {(text: string) => void} note a line on stderr (progress, logs, advice)
 */

/**
 * @typedef {object} Command
 * @property {string} name e.g. "tools search"
 * @property {string} args what follows the name in the usage line, e.g. "<address>"
 * @property {string} summary one line for `executor --help`
 * @property {string} [help] more, for `executor <command> --help`
 * @property {[number, number]} positionals how many arguments: at least, at most
 * @property {Record<string, OptionSpec>} [options]
 * @property {(context: CommandContext) => Promise<number>} run answers the exit code
 */

/**
 * A non-negative integer option (`--limit`, `--offset`), or undefined when absent.
 * @param {string | boolean | undefined} value
 * @param {string} name
 * @returns {number | undefined}
 */
export function countOption(value, name) {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
  return Number(value);
}

/**
 * A string option, or undefined when absent.
 * @param {string | boolean | undefined} value
 * @returns {string | undefined}
 */
export function stringOption(value) {
  return typeof value === "string" ? value : undefined;
}

/** The paging options shared by the list commands. */
export const PAGE_OPTIONS = /** @type {Record<string, OptionSpec>} */ ({
  limit: { type: "string", value: "<n>", description: "How many to show (default 20, at most 100)" },
  offset: { type: "string", value: "<n>", description: "How many to skip" },
});
