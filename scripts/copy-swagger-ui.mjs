// @ts-check
/**
 * Copies Swagger UI's browser files from node_modules/swagger-ui-dist into the console's
 * assets directory (worker/console/public/swagger-ui/, git-ignored), where /api/docs loads
 * them from this Worker's own origin, never from a CDN (docs/api.md#the-reference-and-the-schemas).
 * wrangler.jsonc runs it as the custom build before every `wrangler deploy` (so also
 * `npm run build` and the tests' build) and `wrangler dev`. Offline: it reads only
 * node_modules. Unchanged files are left alone, so `wrangler dev` does not reload for nothing.
 * It copies the bundle as published (with its licence files), no source maps.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const TARGET = join(ROOT, "worker/console/public/swagger-ui");
/** What /api/docs loads, and the licence texts that must travel with it (Apache-2.0 §4). */
const FILES = ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-bundle.js.LICENSE.txt", "LICENSE", "NOTICE"];

const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
mkdirSync(TARGET, { recursive: true });
for (const file of FILES) {
  const from = join(source, file);
  const to = join(TARGET, file);
  if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) continue;
  copyFileSync(from, to);
}
