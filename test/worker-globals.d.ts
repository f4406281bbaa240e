// Tests compile some worker modules under Node's types; give them the Workers globals they name.
// (The Worker's own Env is generated into worker/env.d.ts by `npm run types`; tests see a loose one.)
declare global {
  type D1Database = import("@cloudflare/workers-types").D1Database;
  type ExecutionContext = import("@cloudflare/workers-types").ExecutionContext;
  type Fetcher = import("@cloudflare/workers-types").Fetcher;
  interface Env {
    DB: D1Database;
    [name: string]: unknown;
  }
}
export {};
