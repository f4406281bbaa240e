/**
 * `npm run dev`: a working local server from a fresh clone, nothing else to set up.
 * 1. On first run, writes a git-ignored .dev.vars with a random EXECUTOR_SECRET_KEY and a
 *    DEV_IDENTITY (your git email, else developer@localhost). An existing file is left alone.
 * 2. Applies the migrations to the local D1 (the same files deploy applies).
 * 3. Starts `wrangler dev` on http://127.0.0.1:8787.
 * Extra arguments are passed on to `wrangler dev`.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const wrangler = resolve(root, "node_modules/.bin/wrangler");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };

ensureDevVars(resolve(root, ".dev.vars"));
console.log("Applying migrations to the local D1 database…");
execFileSync(wrangler, ["d1", "migrations", "apply", "DB", "--local"], { cwd: root, stdio: "inherit", env });
const dev = spawn(wrangler, ["dev", "--ip", "127.0.0.1", "--port", "8787", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...env, CI: process.env.CI ?? "" },
});
dev.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));

function ensureDevVars(path: string): void {
  if (existsSync(path)) return;
  const email = gitEmail() ?? "developer@localhost";
  writeFileSync(
    path,
    [
      "# Written by `npm run dev` on first run; git-ignored. Local development only.",
      `EXECUTOR_SECRET_KEY=${randomBytes(32).toString("hex")}`,
      `DEV_IDENTITY=${email}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  console.log(`Wrote .dev.vars (DEV_IDENTITY=${email}).`);
}

function gitEmail(): string | null {
  try {
    const email = execFileSync("git", ["config", "user.email"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return email.includes("@") ? email : null;
  } catch {
    return null;
  }
}
