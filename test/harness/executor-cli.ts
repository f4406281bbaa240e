/**
 * Runs the `executor` CLI (scripts/cli/executor.mjs) as a child process, the way a person
 * runs it, in an environment built from scratch: a temp HOME and XDG_CONFIG_HOME, a PATH
 * holding only the test's own `bin` folder (so no real cloudflared is found unless a test
 * puts a fake one there), and nothing inherited that could carry credentials.
 * `startCliTarget` puts the built Worker behind the Access edge stand-in for it to talk to.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startAccessEdge, type AccessEdge } from "./access-edge";
import { startWorker, type StartOptions, type TestWorker } from "./worker";

const CLI = resolve(import.meta.dirname, "../../scripts/cli/executor.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI started in the background: its output so far, and its end. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with stderr once it matches `pattern` (rejects if the process ends first). */
  stderrMatching(pattern: RegExp): Promise<RegExpExecArray>;
  result: Promise<CliResult>;
}

/** A home for CLI runs: temp folders, and the environment to run in. */
export interface CliHome {
  dir: string;
  /** XDG_CONFIG_HOME of every run. */
  configHome: string;
  /** The only folder on PATH. */
  bin: string;
  /** The environment for a run, plus `extra` (an `undefined` value removes a variable). */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
  /** Puts an executable shell script named `name` into `bin`. */
  installScript(name: string, body: string): void;
  remove(): void;
}

/** Creates a fresh home; the caller removes it. */
export function createCliHome(): CliHome {
  const dir = mkdtempSync(join(tmpdir(), "executor-cli-"));
  const configHome = join(dir, "config");
  const bin = join(dir, "bin");
  mkdirSync(bin);
  return {
    dir,
    configHome,
    bin,
    env(extra = {}) {
      const base: Record<string, string | undefined> = { HOME: dir, XDG_CONFIG_HOME: configHome, PATH: bin, LANG: "C.UTF-8", ...extra };
      return Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
    },
    installScript(name, body) {
      const path = join(bin, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the CLI with `args`; `stdin` is written and closed (empty when absent). */
export function startCli(args: string[], env: Record<string, string>, stdin = ""): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void; reject: (error: Error) => void }[] = [];
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stderr);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stdin.end(stdin);
  const result = new Promise<CliResult>((resolveResult) => {
    child.on("close", (code) => {
      for (const waiter of waiters) waiter.reject(new Error(`the CLI exited (${code}) before stderr matched ${waiter.pattern}:\n${stderr}`));
      resolveResult({ code, stdout, stderr });
    });
  });
  return {
    child,
    result,
    stderrMatching(pattern) {
      const match = pattern.exec(stderr);
      if (match) return Promise.resolve(match);
      return new Promise((resolveMatch, reject) => waiters.push({ pattern, resolve: resolveMatch, reject }));
    },
  };
}

/** Runs the CLI to its end. */
export function runCli(args: string[], env: Record<string, string>, stdin = ""): Promise<CliResult> {
  return startCli(args, env, stdin).result;
}

/** The service token the edge knows in `startCliTarget`. */
export const SERVICE_TOKEN = { clientId: "ci-bot.access", clientSecret: "service-secret-0123456789abcdef", commonName: "ci-bot.access" } as const;

/** A Worker behind the Access edge stand-in, and a home to run the CLI in against it. */
export interface CliTarget {
  worker: TestWorker;
  edge: AccessEdge;
  home: CliHome;
  /** Environment with EXECUTOR_URL and the service token. */
  serviceEnv(extra?: Record<string, string | undefined>): Record<string, string>;
  /**
   * Environment with EXECUTOR_URL and a fake `cloudflared` on PATH that prints a fresh
   * application token for `email` (and appends its arguments to `cloudflaredLog`).
   */
  userEnv(email: string, extra?: Record<string, string | undefined>): Promise<Record<string, string>>;
  /** Where the fake cloudflared writes the arguments of each call. */
  cloudflaredLog: string;
  close(): Promise<void>;
}

/** Starts the Worker (with `options`), the edge in front of it, and a CLI home. */
export async function startCliTarget(options: StartOptions = {}): Promise<CliTarget> {
  const worker = await startWorker(options);
  const edge = await startAccessEdge(worker, { serviceTokens: [SERVICE_TOKEN] });
  const home = createCliHome();
  const cloudflaredLog = join(home.dir, "cloudflared.log");
  home.installScript(
    "cloudflared",
    [
      'echo "$@" >> "$FAKE_CLOUDFLARED_LOG"',
      'if [ -z "$FAKE_CLOUDFLARED_TOKEN" ]; then echo "Unable to find token for provided application. Please run login command to generate token." >&2; exit 1; fi',
      'echo "$FAKE_CLOUDFLARED_TOKEN"',
    ].join("\n"),
  );
  return {
    worker,
    edge,
    home,
    cloudflaredLog,
    serviceEnv: (extra = {}) =>
      home.env({ EXECUTOR_URL: edge.origin, CF_ACCESS_CLIENT_ID: SERVICE_TOKEN.clientId, CF_ACCESS_CLIENT_SECRET: SERVICE_TOKEN.clientSecret, FAKE_CLOUDFLARED_LOG: cloudflaredLog, ...extra }),
    userEnv: async (email, extra = {}) =>
      home.env({ EXECUTOR_URL: edge.origin, FAKE_CLOUDFLARED_TOKEN: await worker.issuer.user(email), FAKE_CLOUDFLARED_LOG: cloudflaredLog, ...extra }),
    async close() {
      await edge.close();
      await worker.close();
      home.remove();
    },
  };
}
