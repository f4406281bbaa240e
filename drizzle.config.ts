// drizzle-kit reads worker/db/schema.ts and writes SQL migrations into migrations/,
// the same folder wrangler applies (`migrations_dir` in wrangler.jsonc).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./migrations",
});
