/**
 * worker/db/schema.ts is the source of truth: the committed migrations must already contain
 * everything it declares. drizzle-kit generates against a copy; a new file means drift.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../harness/migrations";

const root = resolve(import.meta.dirname, "../..");
// Inside the repo (git-ignored): drizzle-kit only takes an --out relative to the project.
mkdirSync(resolve(root, "test/.artifacts"), { recursive: true });
const scratch = mkdtempSync(join(root, "test/.artifacts/migrations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("the committed migrations match the schema (run `npm run db:generate` if this fails)", () => {
  cpSync(MIGRATIONS_DIR, scratch, { recursive: true });
  const before = readdirSync(scratch).sort();
  const output = execFileSync(
    resolve(root, "node_modules/.bin/drizzle-kit"),
    ["generate", "--dialect", "sqlite", "--schema", "./worker/db/schema.ts", "--out", relative(root, scratch)],
    { cwd: root, encoding: "utf8" },
  );
  expect(output).toContain("No schema changes");
  expect(readdirSync(scratch).sort(), output).toEqual(before);
});
