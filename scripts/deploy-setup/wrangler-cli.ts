/**
 * Runs the wrangler CLI as a child process for deploy:setup: finds the executable, runs one
 * command in the project folder, and returns its exit code and output. It does not interpret
 * the output (wrangler-output.ts does) and never prompts: every run is non-interactive.
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { stripAnsi } from "./wrangler-output";

/** Where wrangler runs: its executable and the project folder (holding wrangler.jsonc). */
export interface Wrangler {
  executable: string;
  cwd: string;
}

/** One finished wrangler command. */
export interface WranglerResult {
  args: readonly string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** A wrangler command that exited non-zero; the message ends with the tail of its output. */
export class WranglerError extends Error {
  constructor(readonly result: WranglerResult) {
    super(`\`wrangler ${result.args.join(" ")}\` exited with code ${result.code}:\n${outputTail(result)}`);
    this.name = "WranglerError";
  }
}

/**
 * The wrangler to run: the first `wrangler` on PATH (under `npm run`/`bun run` that is the
 * project's own node_modules/.bin, and the tests put a fake first), else `<repoRoot>/node_modules/.bin`.
 */
export function resolveWrangler(pathVariable: string | undefined, repoRoot: string): string {
  const name = process.platform === "win32" ? "wrangler.cmd" : "wrangler";
  const candidates = (pathVariable ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "")
    .map((dir) => join(dir, name));
  candidates.push(join(repoRoot, "node_modules", ".bin", name));
  const found = candidates.find(isExecutable);
  if (found === undefined) throw new Error("wrangler not found: run `npm install` (or `bun install`) first");
  return found;
}

/** Runs `wrangler <args>`; `input` goes to its stdin (secret values never go on the command line). */
export function runWrangler(wrangler: Wrangler, args: readonly string[], input?: string): Promise<WranglerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(wrangler.executable, args, {
      cwd: wrangler.cwd,
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        // Non-interactive on purpose: `d1 migrations apply` would wait for a confirmation, and
        // `d1 create` would offer to add a second, differently named binding to wrangler.jsonc.
        CI: "true",
      },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      // Node refuses to spawn a .cmd without a shell; the arguments here are fixed words.
      shell: wrangler.executable.endsWith(".cmd"),
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(new Error(`could not start ${wrangler.executable}: ${error.message}`)));
    child.on("close", (code, signal) => resolve({ args, code: code ?? (signal ? 128 : 1), stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The stdout of a command that succeeded; throws a WranglerError for a non-zero exit. */
export function requireSuccess(result: WranglerResult): string {
  if (result.code !== 0) throw new WranglerError(result);
  return result.stdout;
}

/** The last lines wrangler printed (stdout, then stderr where it reports errors), for a failure message. */
export function outputTail(result: Pick<WranglerResult, "stdout" | "stderr">, lines = 15): string {
  const text = stripAnsi(`${result.stdout.trimEnd()}\n${result.stderr.trimEnd()}`).trim();
  return text.split("\n").slice(-lines).join("\n") || "(no output)";
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
