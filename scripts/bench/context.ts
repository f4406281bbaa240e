/**
 * Context benchmark: what an agent reads, code mode (ours) next to a plain MCP proxy that
 * exposes every operation as an MCP tool, against the built Worker in workerd (Miniflare,
 * real D1):
 * - catalog context (the `tools/list` body) for GitHub REST, GitHub GraphQL, and both;
 * - a realistic task, "find the open issues labelled bug in a repo and comment on the
 *   oldest", done by a scripted agent over raw JSON-RPC against a local fake GitHub: every
 *   request and response body of the MCP session counted, next to the same task done with
 *   direct tools (the proxy's tools/list plus two tools/call exchanges with the real bodies).
 *
 * Tokens are estimated at 4 characters per token.
 *
 *   npm run build && npx tsx scripts/bench/context.ts
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { serveIntrospection } from "../../test/harness/graphql-api";
import { startWorker, type TestWorker } from "../../test/harness/worker";
import { GITHUB_TOKEN, OWNER, REPO, startFakeGithub, type GithubIssue } from "./fake-github";

const ROOT = resolve(import.meta.dirname, "../..");
const REST_SPEC = resolve(ROOT, "node_modules/@octokit/openapi/generated/api.github.com.json");
const GRAPHQL_SCHEMA = resolve(ROOT, "node_modules/@octokit/graphql-schema/schema.json");
const CHARS_PER_TOKEN = 4;
const COMMENT_BODY = "Looking into this";

// ---------------------------------------------------------------------------------------
// Measuring.

const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const tokens = (text: string) => Math.round(text.length / CHARS_PER_TOKEN);

/** Size of some exchanged texts: UTF-8 bytes and characters (tokens are characters / 4). */
interface Size {
  bytes: number;
  chars: number;
}
const sizeOf = (...texts: string[]): Size => ({ bytes: texts.reduce((sum, t) => sum + bytes(t), 0), chars: texts.reduce((sum, t) => sum + t.length, 0) });
const addSizes = (...sizes: Size[]): Size => ({ bytes: sizes.reduce((sum, s) => sum + s.bytes, 0), chars: sizes.reduce((sum, s) => sum + s.chars, 0) });
const fmt = (n: number) => n.toLocaleString("en-US");
const show = (size: Size) => `${fmt(size.bytes)} B ≈ ${fmt(Math.round(size.chars / CHARS_PER_TOKEN))} tokens`;
const reduction = (ours: Size, theirs: Size) => `−${(100 * (1 - ours.chars / theirs.chars)).toFixed(1)} %`;

function fail(message: string): never {
  throw new Error(message);
}

/** One MCP client over raw JSON-RPC POSTs; every request and response body is kept. */
class McpSession {
  readonly exchanges: { label: string; request: string; response: string }[] = [];
  private nextId = 1;
  constructor(
    private readonly url: URL,
    private readonly headers: Record<string, string>,
  ) {}

  private async post(label: string, message: Record<string, unknown>): Promise<string> {
    const request = JSON.stringify(message);
    const response = await fetch(this.url, {
      method: "POST",
      headers: { ...this.headers, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
      body: request,
    });
    const text = await response.text();
    if (!response.ok) fail(`${label}: HTTP ${response.status} ${text.slice(0, 500)}`);
    this.exchanges.push({ label, request, response: text });
    return text;
  }

  async call(method: string, params: unknown, label = method): Promise<{ raw: string; result: Record<string, unknown> }> {
    const raw = await this.post(label, { jsonrpc: "2.0", id: this.nextId++, method, params });
    const reply = JSON.parse(raw) as { result?: Record<string, unknown>; error?: unknown };
    if (!reply.result) fail(`${label}: ${raw.slice(0, 500)}`);
    return { raw, result: reply.result };
  }

  async notify(method: string): Promise<void> {
    await this.post(method, { jsonrpc: "2.0", method });
  }

  size(): Size {
    return sizeOf(...this.exchanges.flatMap((exchange) => [exchange.request, exchange.response]));
  }
}

interface ToolRow {
  address: string;
  description: string;
  input_schema: string;
}

/** What a plain MCP proxy lists: every tool of these integrations as `{name, description, inputSchema}`. */
async function proxyTools(worker: TestWorker, integrations: string[]) {
  const tools: { name: string; description: string; inputSchema: unknown }[] = [];
  for (const integration of integrations) {
    const rows = await worker.db.prepare("SELECT address, description, input_schema FROM tools WHERE integration = ? ORDER BY address").bind(integration).all<ToolRow>();
    if (rows.results.length === 0) fail(`no tools stored for ${integration}`);
    for (const tool of rows.results) tools.push({ name: tool.address.replaceAll(".", "_"), description: tool.description, inputSchema: JSON.parse(tool.input_schema) });
  }
  return tools;
}

const proxyToolsList = (id: number, tools: unknown[]) => JSON.stringify({ jsonrpc: "2.0", id, result: { tools } });

async function ourToolsList(base: URL, token: string): Promise<string> {
  const session = new McpSession(new URL("/mcp", base), { "cf-access-jwt-assertion": token });
  const { raw, result } = await session.call("tools/list", {});
  const names = (result.tools as { name: string }[]).map((tool) => tool.name).sort().join(",");
  if (names !== "execute,resume") fail(`unexpected tools/list: ${names}`);
  return raw;
}

async function adminApi(base: URL, token: string) {
  return async (path: string, body: unknown, expected = 201) => {
    const response = await fetch(new URL(path, base), {
      method: "POST",
      headers: { "cf-access-jwt-assertion": token, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expected) fail(`POST ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

/** An execute answer: the JSON view is the text content (also sent as structuredContent). */
function executionView(result: Record<string, unknown>, label: string): { status: string; result?: unknown } {
  const view = result.structuredContent as { status: string; result?: unknown; error?: unknown } | undefined;
  if (!view || view.status !== "completed") fail(`${label} did not complete: ${JSON.stringify(result).slice(0, 1500)}`);
  return view;
}

// ---------------------------------------------------------------------------------------

const cleanups: (() => Promise<unknown>)[] = [];
const rows: string[][] = [];
let exitCode = 0;

try {
  const github = await startFakeGithub();
  cleanups.push(() => github.close());
  const introspection = await serveIntrospection(readFileSync(GRAPHQL_SCHEMA, "utf8"));
  cleanups.push(() => introspection.close());

  // --- Worker A: GitHub REST, the task, then GraphQL added (the union) ---
  const workerA = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
  let closedA = false;
  const closeA = async () => {
    if (!closedA) await workerA.close();
    closedA = true;
  };
  cleanups.push(closeA);
  const baseA = await workerA.mf.ready;
  const tokenA = await workerA.issuer.user("admin@example.com");
  const postA = await adminApi(baseA, tokenA);

  const rest = await postA("/api/integrations", { kind: "openapi", slug: "github", spec: readFileSync(REST_SPEC, "utf8"), baseUrl: github.origin });
  await postA("/api/integrations/github/connections", { name: "work", shared: true, auth: { type: "bearer", token: GITHUB_TOKEN } });
  await postA("/api/policies", { pattern: "github.issues.createComment", action: "allow" });

  const restOurs = await ourToolsList(baseA, tokenA);
  const restProxyTools = await proxyTools(workerA, ["github"]);
  const restProxy = proxyToolsList(1, restProxyTools);

  // --- the task, code mode: initialize, tools/list, execute (search + describe), execute (the program) ---
  const session = new McpSession(new URL("/mcp", baseA), { "cf-access-jwt-assertion": tokenA });
  const init = await session.call("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "scripted-agent", version: "1.0.0" } });
  await session.notify("notifications/initialized");
  await session.call("tools/list", {});
  const discover = await session.call(
    "tools/call",
    {
      name: "execute",
      arguments: {
        code: [
          `const list = await tools.search("list repository issues", { integration: "github", limit: 5 });`,
          `const comment = await tools.search("comment on an issue", { integration: "github", limit: 5 });`,
          `const signatures = {};`,
          `for (const address of ["github.issues.listForRepo", "github.issues.createComment"]) signatures[address] = (await tools.describe(address)).typescript;`,
          `return { found: [...list.items, ...comment.items].map((item) => item.address), signatures };`,
        ].join("\n"),
      },
    },
    "tools/call execute (search + describe)",
  );
  const discovered = executionView(discover.result, "execute #1").result as { found: string[]; signatures: Record<string, string> };
  for (const address of ["github.issues.listForRepo", "github.issues.createComment"]) {
    if (!discovered.found.includes(address)) fail(`tools.search did not surface ${address}: ${discovered.found.join(", ")}`);
  }
  const program = [
    `const owner = ${JSON.stringify(OWNER)}, repo = ${JSON.stringify(REPO)};`,
    `const issues = await tools.github.issues.listForRepo({ owner, repo, labels: "bug", state: "open", sort: "created", direction: "asc" });`,
    `const oldest = issues[0];`,
    `const c = await tools.github.issues.createComment({ owner, repo, issue_number: oldest.number, body: { body: ${JSON.stringify(COMMENT_BODY)} } });`,
    `return { issue: oldest.number, comment: c.id };`,
  ].join("\n");
  const run = await session.call("tools/call", { name: "execute", arguments: { code: program } }, "tools/call execute (the program)");
  const done = executionView(run.result, "execute #2").result as { issue: number; comment: number };

  // The upstream saw exactly: one filtered list, then one comment on the oldest open bug.
  const expected = github.issues
    .filter((issue) => issue.state === "open" && issue.labels.some((l) => l.name === "bug"))
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))[0]!;
  const [listCall, commentCall, ...extra] = github.requests;
  if (!listCall || !commentCall || extra.length > 0) fail(`expected 2 upstream requests, got ${github.requests.map((r) => `${r.method} ${r.path}`).join(", ")}`);
  if (listCall.method !== "GET" || listCall.path !== `/repos/${OWNER}/${REPO}/issues` || listCall.status !== 200) fail(`unexpected list call: ${listCall.method} ${listCall.path} ${listCall.status}`);
  for (const [name, value] of Object.entries({ labels: "bug", state: "open", sort: "created", direction: "asc" })) {
    if (listCall.query.get(name) !== value) fail(`list call query ${name}=${listCall.query.get(name)}, expected ${value}`);
  }
  const listed = JSON.parse(listCall.responseBody) as GithubIssue[];
  if (commentCall.method !== "POST" || commentCall.path !== `/repos/${OWNER}/${REPO}/issues/${expected.number}/comments` || commentCall.status !== 201) {
    fail(`the comment went to ${commentCall.method} ${commentCall.path} (${commentCall.status}), expected the oldest open bug #${expected.number}`);
  }
  if ((JSON.parse(commentCall.body) as { body?: string }).body !== COMMENT_BODY) fail(`unexpected comment body ${commentCall.body}`);
  if (listCall.authorization !== `Bearer ${GITHUB_TOKEN}` || commentCall.authorization !== `Bearer ${GITHUB_TOKEN}`) fail("upstream calls did not carry the connection's token");
  const posted = JSON.parse(commentCall.responseBody) as { id: number };
  if (done.issue !== expected.number || done.comment !== posted.id) fail(`program returned ${JSON.stringify(done)}, expected issue ${expected.number}, comment ${posted.id}`);

  const codeMode = session.size();

  // --- the task, direct tools: the same session shape through a plain proxy ---
  const initExchanges = session.exchanges.filter((exchange) => exchange.label === "initialize" || exchange.label === "notifications/initialized");
  const listArgs = { owner: OWNER, repo: REPO, labels: "bug", state: "open", sort: "created", direction: "asc" };
  const commentArgs = { owner: OWNER, repo: REPO, issue_number: expected.number, body: { body: COMMENT_BODY } };
  const call = (id: number, name: string, args: unknown) => JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
  const answer = (id: number, upstreamBody: string) => JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: upstreamBody }] } });
  for (const name of ["github_issues_listForRepo", "github_issues_createComment"]) {
    if (!restProxyTools.some((tool) => tool.name === name)) fail(`the proxy would not list ${name}`);
  }
  const direct = {
    init: sizeOf(...initExchanges.flatMap((exchange) => [exchange.request, exchange.response])),
    list: sizeOf(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }), proxyToolsList(2, restProxyTools)),
    calls: sizeOf(call(3, "github_issues_listForRepo", listArgs), answer(3, listCall.responseBody), call(4, "github_issues_createComment", commentArgs), answer(4, commentCall.responseBody)),
  };
  const directTotal = addSizes(direct.init, direct.list, direct.calls);

  // --- GraphQL added to the same Worker: the union ---
  const graphqlA = await postA("/api/integrations", { kind: "graphql", url: introspection.url, slug: "github_graphql" });
  const bothOurs = await ourToolsList(baseA, tokenA);
  const bothProxy = proxyToolsList(1, await proxyTools(workerA, ["github", "github_graphql"]));
  await closeA();

  // --- Worker B: GitHub GraphQL only ---
  const workerB = await startWorker({ bindings: { ALLOW_LOCAL_NETWORK: "true" }, directNetwork: true });
  cleanups.push(() => workerB.close());
  const baseB = await workerB.mf.ready;
  const tokenB = await workerB.issuer.user("admin@example.com");
  const graphqlB = await (await adminApi(baseB, tokenB))("/api/integrations", { kind: "graphql", url: introspection.url, slug: "github_graphql" });
  const graphqlOurs = await ourToolsList(baseB, tokenB);
  const graphqlProxy = proxyToolsList(1, await proxyTools(workerB, ["github_graphql"]));
  if (graphqlA.toolCount !== graphqlB.toolCount) fail(`GraphQL tool counts differ between Workers: ${graphqlA.toolCount} vs ${graphqlB.toolCount}`);

  // --- the table ---
  const restCount = Number(rest.toolCount);
  const graphqlCount = Number(graphqlB.toolCount);
  const catalog = (name: string, ours: string, proxy: string, reference: string) => {
    const a = sizeOf(ours);
    const b = sizeOf(proxy);
    rows.push([name, show(a), show(b), reduction(a, b), reference]);
  };
  catalog(`Catalog context: GitHub REST (${fmt(restCount)} tools)`, restOurs, restProxy, "Cloudflare Code Mode: 1,069 tokens for 2,594 tools");
  catalog(`Catalog context: GitHub GraphQL (${fmt(graphqlCount)} tools)`, graphqlOurs, graphqlProxy, "");
  catalog(`Catalog context: both (${fmt(restCount + graphqlCount)} tools)`, bothOurs, bothProxy, "");
  const step = (label: string) => {
    const exchange = session.exchanges.find((item) => item.label === label)!;
    return sizeOf(exchange.request, exchange.response);
  };
  rows.push([
    `Task: comment on the oldest open bug (${listed.length} issues listed, #${expected.number} commented)`,
    `${show(codeMode)}: initialize ${fmt(step("initialize").bytes + step("notifications/initialized").bytes)} B, tools/list ${fmt(step("tools/list").bytes)} B, execute search+describe ${fmt(step("tools/call execute (search + describe)").bytes)} B, execute program ${fmt(step("tools/call execute (the program)").bytes)} B`,
    `${show(directTotal)}: initialize ${fmt(direct.init.bytes)} B, tools/list ${fmt(direct.list.bytes)} B, 2 tools/call ${fmt(direct.calls.bytes)} B`,
    reduction(codeMode, directTotal),
    "Anthropic, code execution with MCP: 150,000 → 2,000 tokens (−98.7 %)",
  ]);
  const withoutCatalog = addSizes(direct.init, direct.calls);
  rows.push([
    "Task, direct tools without their tools/list (lower bound: catalog already paid for)",
    show(codeMode),
    show(withoutCatalog),
    codeMode.chars < withoutCatalog.chars ? reduction(codeMode, withoutCatalog) : `+${(100 * (codeMode.chars / withoutCatalog.chars - 1)).toFixed(1)} %`,
    "",
  ]);

  if (init.result.protocolVersion === undefined) fail("initialize answered no protocolVersion");
  console.log(`\nBytes are UTF-8 request + response bodies; tokens are estimated at ${CHARS_PER_TOKEN} characters per token.\n`);
  console.log("| measurement | code mode (ours) | plain MCP proxy / direct tools | reduction | reference |\n|---|---|---|---|---|");
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error("cleanup failed:", error);
      exitCode = 1;
    }
  }
}
process.exit(exitCode);
