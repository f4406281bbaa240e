// @ts-check
/**
 * The human-readable text of each API answer (`--json` prints the answer itself instead).
 * Pure: plain data in, a string out; nothing here writes or fetches. Untrusted text (tool
 * descriptions, logs, arguments) is printed as it is, minus terminal control characters.
 */

/** The widest a one-line description may be in a list. */
const LIST_DESCRIPTION_CHARS = 80;

/**
 * `GET /api/me`.
 * @param {{ id: string, name?: string, roles: string[], org: { name: string, slug: string } }} me
 * @returns {string}
 */
export function formatMe(me) {
  return lines([
    `${me.id}${me.name ? ` (${clean(me.name)})` : ""}`,
    `roles: ${me.roles.length > 0 ? me.roles.join(", ") : "none"}`,
    `organization: ${clean(me.org.name)} (${me.org.slug})`,
  ]);
}

/**
 * `GET /api/status`.
 * @param {{ version: string, migrations: { applied: number, latest: number, pending: string[] }, config: { ok: boolean, missing: string[], accessConfigured: boolean } }} status
 * @param {string} baseUrl
 * @returns {string}
 */
export function formatStatus(status, baseUrl) {
  const { migrations, config } = status;
  return lines([
    `Executor ${status.version} at ${baseUrl}`,
    `migrations: ${migrations.applied} of ${migrations.latest} applied${migrations.pending.length > 0 ? `; pending: ${migrations.pending.join(", ")}` : ""}`,
    `configuration: ${config.ok ? "ok" : `missing ${config.missing.join(", ")}`}; Access ${config.accessConfigured ? "configured" : "not configured"}`,
  ]);
}

/**
 * `GET /api/tools`: one tool a line, then how many there are.
 * @param {{ items: { address: string, policy: string, description: string }[], total: number, nextOffset: number | null }} page
 * @returns {string}
 */
export function formatToolList(page) {
  if (page.items.length === 0) return "No tools match.";
  const rows = page.items.map((tool) => [tool.address, tool.policy, firstLine(tool.description)]);
  return lines([table(rows), pageFooter(page, "tools")]);
}

/**
 * `GET /api/tools/:address`.
 * @param {{ address: string, description: string, typescript: string, policy: string, defaultPolicy: string }} tool
 * @returns {string}
 */
export function formatTool(tool) {
  return lines([tool.address, `policy: ${tool.policy} (default ${tool.defaultPolicy})`, "", clean(tool.description), "", clean(tool.typescript)]);
}

/**
 * `GET /api/executions`.
 * @param {{ items: { id: string, status: string, createdAt: string, identityLabel: string, codePreview: string }[], total: number, nextOffset: number | null }} page
 * @returns {string}
 */
export function formatExecutionList(page) {
  if (page.items.length === 0) return "No executions.";
  const rows = page.items.map((item) => [item.id, item.status, item.createdAt, clean(item.identityLabel), firstLine(item.codePreview, 50)]);
  return lines([table(rows), pageFooter(page, "executions")]);
}

/**
 * @typedef {object} HistoryCall
 * @property {number} callId
 * @property {string} kind
 * @property {string | null} tool
 * @property {unknown} args
 * @property {string | null} policy
 * @property {string} status
 * @property {string | null} decision
 * @property {string | null} decidedBy
 * @property {{ code?: string, message?: string } | undefined} [error]
 */

/**
 * `GET /api/executions/:id`: the record, its code, logs, outcome and every host call.
 * @param {{ id: string, identity: { id: string }, code: string, status: string, result?: unknown, error?: { code: string, message: string }, logs: string[], createdAt: string, durationMs: number | null, pausedCallId: number | null, expiresAt: string | null, calls: HistoryCall[] }} record
 * @param {string} baseUrl
 * @returns {string}
 */
export function formatExecution(record, baseUrl) {
  const out = [`${record.id}  ${record.status}  by ${record.identity.id}  ${record.createdAt}${record.durationMs === null ? "" : `  (${record.durationMs} ms)`}`];
  if (record.status === "paused") {
    out.push(`paused at call ${record.pausedCallId}, until ${record.expiresAt}; decide at ${baseUrl}/executions/${record.id}`);
  }
  out.push("", "code:", indent(clean(record.code)));
  if (record.logs.length > 0) out.push("", "logs:", indent(record.logs.map(clean).join("\n")));
  if (record.error) out.push("", `error ${record.error.code}: ${clean(record.error.message)}`);
  if (record.result !== undefined) out.push("", "result:", indent(json(record.result)));
  if (record.calls.length > 0) {
    const rows = record.calls.map((call) => [
      `#${call.callId}`,
      call.tool ?? call.kind,
      call.policy ?? "",
      call.status,
      call.decision ? `${call.decision} by ${call.decidedBy}` : call.error?.code ? `error ${call.error.code}` : "",
    ]);
    out.push("", "calls:", indent(table(rows)));
  }
  return lines(out);
}

/**
 * `GET /api/integrations`.
 * @param {{ items: { slug: string, kind: string, name: string, toolCount: number }[] }} page
 * @returns {string}
 */
export function formatIntegrationList(page) {
  return table(page.items.map((item) => [item.slug, item.kind, `${item.toolCount} tools`, clean(item.name)]));
}

/**
 * A value (a program's result, a call's arguments) as indented JSON.
 * @param {unknown} value
 * @returns {string}
 */
export function json(value) {
  return JSON.stringify(value, null, 2) ?? "undefined";
}

/**
 * The one-line report of a failure.
 * @param {string} code
 * @param {string} message
 * @param {unknown} [details]
 * @returns {string}
 */
export function formatFailure(code, message, details) {
  const head = `error ${code}: ${clean(message)}`;
  return details === undefined ? head : `${head}\n  details: ${clean(JSON.stringify(details))}`;
}

/**
 * Removes terminal control sequences (ESC, other C0/C1 controls but tab and newline) from
 * text that came from an upstream or a program, so it cannot rewrite the terminal.
 * @param {string} text
 * @returns {string}
 */
export function clean(text) {
  return String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "");
}

/** @param {string[]} parts */
function lines(parts) {
  return parts.join("\n");
}

/** @param {string} text */
function indent(text) {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/**
 * @param {string} text
 * @param {number} [max]
 */
function firstLine(text, max = LIST_DESCRIPTION_CHARS) {
  const line = clean((text ?? "").split("\n").find((part) => part.trim() !== "") ?? "").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Columns padded to their widest cell; the last column is not padded.
 * @param {string[][]} rows
 */
function table(rows) {
  /** @type {number[]} */
  const widths = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]))).join("  ").trimEnd()).join("\n");
}

/**
 * @param {{ items: unknown[], total: number, nextOffset: number | null }} page
 * @param {string} noun
 */
function pageFooter(page, noun) {
  const more = page.nextOffset === null ? "" : `; more with --offset ${page.nextOffset}`;
  return `${page.items.length} of ${page.total} ${noun}${more}`;
}
