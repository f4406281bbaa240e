/**
 * Reads what wrangler 4.x prints: its `--json` output, and the few human-readable lines
 * deploy:setup needs (the id of a created D1 database, applied migrations, the workers.dev
 * URL, a missing Worker). Pure: strings in, plain data out. Running wrangler is
 * wrangler-cli.ts's job.
 */

/** `wrangler whoami --json`. */
export interface WhoamiInfo {
  loggedIn: boolean;
  email: string | null;
  accounts: { id: string; name: string }[];
}

/** A database as `wrangler d1 list --json` lists it (the fields used here). */
export interface D1Database {
  uuid: string;
  name: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The JSON value in wrangler's stdout. Wrangler may print a blank line (and, on some
 * commands, a banner) before it, so parsing starts at the first line opening an object or array.
 */
export function parseJsonOutput(stdout: string): unknown {
  const lines = stripAnsi(stdout).split("\n");
  const first = lines.findIndex((line) => /^\s*[[{]/.test(line));
  if (first === -1) throw new Error("wrangler printed no JSON");
  return JSON.parse(lines.slice(first).join("\n"));
}

/** `whoami --json` output; `{"loggedIn":false}` when logged out. */
export function parseWhoami(json: unknown): WhoamiInfo {
  const value = json as { loggedIn?: unknown; email?: unknown; accounts?: unknown };
  if (typeof value !== "object" || value === null || typeof value.loggedIn !== "boolean") {
    throw new Error("unexpected `wrangler whoami --json` output");
  }
  const accounts = Array.isArray(value.accounts) ? value.accounts : [];
  return {
    loggedIn: value.loggedIn,
    email: typeof value.email === "string" ? value.email : null,
    accounts: accounts
      .filter((account): account is { id: string; name: string } => typeof account?.id === "string")
      .map((account) => ({ id: account.id, name: String(account.name ?? "") })),
  };
}

/** The databases in `d1 list --json` output (an array of the API's database objects). */
export function parseDatabaseList(json: unknown): D1Database[] {
  if (!Array.isArray(json)) throw new Error("unexpected `wrangler d1 list --json` output");
  return json
    .filter((db): db is D1Database => typeof db?.uuid === "string" && typeof db?.name === "string")
    .map((db) => ({ uuid: db.uuid, name: db.name }));
}

/**
 * The new database's id from `wrangler d1 create` output. Wrangler prints a config snippet:
 * `"database_id": "<uuid>"` for JSON configs, `database_id = "<uuid>"` for TOML. Null when
 * neither shape is there; the caller then looks the database up by name.
 */
export function parseCreatedDatabaseId(output: string): string | null {
  const match = stripAnsi(output).match(new RegExp(`"?database_id"?\\s*[:=]\\s*"(${UUID.source})"`, "i"));
  return match ? match[1].toLowerCase() : null;
}

/**
 * The migration files `d1 migrations apply` applied: the `NNNN_name.sql` names in its tables;
 * none when it says "No migrations to apply".
 */
export function parseAppliedMigrations(output: string): string[] {
  const text = stripAnsi(output);
  if (/No migrations to apply/i.test(text)) return [];
  return [...new Set(text.match(/\b\d+_[\w.-]*?\.sql\b/g) ?? [])];
}

/** The secret names in `secret list --format json` output. */
export function parseSecretNames(json: unknown): string[] {
  if (!Array.isArray(json)) throw new Error("unexpected `wrangler secret list` output");
  return json.map((secret) => secret?.name).filter((name): name is string => typeof name === "string");
}

/**
 * The rows of the first statement in `d1 execute --json` output: an array of
 * `{results, success, meta}`, one per statement.
 */
export function parseQueryRows(json: unknown): Record<string, unknown>[] {
  const first = Array.isArray(json) ? (json[0] as { results?: unknown; success?: unknown } | undefined) : undefined;
  if (!first || first.success === false || !Array.isArray(first.results)) throw new Error("unexpected `wrangler d1 execute --json` output");
  return first.results.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null);
}

/** True when wrangler failed because the Worker does not exist yet (API code 10007). */
export function isWorkerNotFound(output: string): boolean {
  return /Worker "[^"]*"(?: \(env: [^)]*\))? not found|\[code: 10007\]/.test(stripAnsi(output));
}

/** The first `https://….workers.dev` URL `wrangler deploy` printed, or null (custom domains only). */
export function parseWorkersDevUrl(output: string): string | null {
  const match = stripAnsi(output).match(/https:\/\/[a-z0-9][a-z0-9.-]*\.workers\.dev\b/i);
  return match ? match[0] : null;
}

/** Text without terminal colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
