/**
 * Builds the Worker once for the whole suite, exactly as `wrangler deploy` would bundle it;
 * every test then runs that bundle in Miniflare.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default function buildWorker(): void {
  const root = resolve(import.meta.dirname, "..");
  execFileSync(resolve(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
}
