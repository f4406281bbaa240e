// Tests compile some worker modules under Node's types; give them the Workers globals they name.
declare global {
  type D1Database = import("@cloudflare/workers-types").D1Database;
  type Fetcher = import("@cloudflare/workers-types").Fetcher;
}
export {};
