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
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { serveIntrospection } from "../../test/harness/graphql-api";
import { startWorker, type TestWorker } from "../../test/harness/worker";

const ROOT = resolve(import.meta.dirname, "../..");
const REST_SPEC = resolve(ROOT, "node_modules/@octokit/openapi/generated/api.github.com.json");
const GRAPHQL_SCHEMA = resolve(ROOT, "node_modules/@octokit/graphql-schema/schema.json");
const CHARS_PER_TOKEN = 4;
const OWNER = "acme";
const REPO = "widgets";
const GITHUB_TOKEN = "ghp_benchToken0123456789abcdefABCDEF0123";
const COMMENT_BODY = "Looking into this";

// ---------------------------------------------------------------------------------------
// A fake GitHub: realistic issue and comment objects, filtering and sorting like the real API.

interface GithubUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: string;
  user_view_type: string;
  site_admin: boolean;
}

interface GithubLabel {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  default: boolean;
  description: string;
}

interface GithubIssue {
  number: number;
  state: "open" | "closed";
  labels: GithubLabel[];
  created_at: string;
  updated_at: string;
  comments: number;
  [field: string]: unknown;
}

interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
  body: string;
  status: number;
  responseBody: string;
}

const API = "https://api.github.com";

function user(login: string, id: number): GithubUser {
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString("base64").replace(/=+$/, ""),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: `${API}/users/${login}`,
    html_url: `https://github.com/${login}`,
    followers_url: `${API}/users/${login}/followers`,
    following_url: `${API}/users/${login}/following{/other_user}`,
    gists_url: `${API}/users/${login}/gists{/gist_id}`,
    starred_url: `${API}/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${login}/subscriptions`,
    organizations_url: `${API}/users/${login}/orgs`,
    repos_url: `${API}/users/${login}/repos`,
    events_url: `${API}/users/${login}/events{/privacy}`,
    received_events_url: `${API}/users/${login}/received_events`,
    type: "User",
    user_view_type: "public",
    site_admin: false,
  };
}

function label(id: number, name: string, color: string, isDefault: boolean, description: string): GithubLabel {
  return {
    id,
    node_id: `LA_kwDOBench${id}`,
    url: `${API}/repos/${OWNER}/${REPO}/labels/${encodeURIComponent(name)}`,
    name,
    color,
    default: isDefault,
    description,
  };
}

const USERS = [user("octocat", 583231), user("hubot", 480938), user("monalisa", 2154963), user("mojombo", 1), user("defunkt", 2)];
const LABELS = {
  bug: label(1361284710, "bug", "d73a4a", true, "Something isn't working"),
  enhancement: label(1361284713, "enhancement", "a2eeef", true, "New feature or request"),
  docs: label(1361284711, "documentation", "0075ca", true, "Improvements or additions to documentation"),
  triage: label(1361284750, "needs triage", "ededed", false, "Not yet looked at by a maintainer"),
  p1: label(1361284751, "priority: high", "b60205", false, "Fix before the next release"),
  gfi: label(1361284714, "good first issue", "7057ff", true, "Good for newcomers"),
};
const MILESTONE = {
  url: `${API}/repos/${OWNER}/${REPO}/milestones/3`,
  html_url: `https://github.com/${OWNER}/${REPO}/milestone/3`,
  labels_url: `${API}/repos/${OWNER}/${REPO}/milestones/3/labels`,
  id: 11223344,
  node_id: "MI_kwDOBenchMs3",
  number: 3,
  title: "v2.4",
  description: "Stability fixes for the 2.4 release",
  creator: USERS[0],
  open_issues: 9,
  closed_issues: 14,
  state: "open",
  created_at: "2024-01-02T09:00:00Z",
  updated_at: "2024-06-01T12:00:00Z",
  due_on: "2024-09-30T07:00:00Z",
  closed_at: null,
};

const TITLES = [
  "Crash when the config file is empty",
  "Add a --json flag to the list command",
  "Widget renderer leaks memory on resize",
  "Timeouts are ignored when retries are disabled",
  "Docs: the quick start uses the old import path",
  "Race between flush() and close() drops the last batch",
  "Unicode names are truncated in the table view",
  "Support HTTP/2 for the upstream client",
  "Wrong exit code when a plugin fails to load",
  "Pagination skips the last page when per_page is 100",
  "Document the environment variables",
  "Date parsing fails for ISO weeks",
  "Cache is never invalidated after a schema change",
  "Typo in the error message for missing tokens",
  "Progress bar flickers on Windows terminals",
  "Panic in the worker pool under high load",
  "Allow configuring the log format",
  "Stack overflow on deeply nested input",
];

function issueBody(n: number, title: string, isBug: boolean): string {
  if (!isBug) {
    return `### Summary\n\n${title}.\n\n### Motivation\n\nSeveral users asked for this in discussions (see #${n + 40} and #${n + 57}). It would make scripting much easier and avoid parsing human-readable output.\n\n### Proposal\n\n- Add the option behind a flag first\n- Document it in the README\n- Add tests for the edge cases mentioned above\n`;
  }
  return `### Describe the bug\n\n${title}. This started after upgrading from 2.3.${n % 7} to 2.4.0-rc.${n % 3 + 1}.\n\n### To reproduce\n\n1. Create a new project with \`widgets init\`\n2. Run \`widgets build --watch\`\n3. Trigger the case described above\n4. See the error\n\n### Expected behaviour\n\nThe command completes without errors, as it did in 2.3.x.\n\n### Logs\n\n\`\`\`\nError: unexpected state in widget ${n} (code E${1000 + n})\n    at Renderer.flush (src/render.ts:${120 + n}:15)\n    at async Pipeline.run (src/pipeline.ts:88:5)\n\`\`\`\n\n### Environment\n\n- OS: Ubuntu 22.04\n- Node: 20.${n % 12}.0\n- widgets: 2.4.0-rc.${n % 3 + 1}\n`;
}

/** Issues #1..#18; open bugs are #3 #4 #6 #9 #10 #12 #13 #15 #16 #18 (#1 and #7 are closed bugs). */
function makeIssues(): GithubIssue[] {
  const bugs = new Set([1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18]);
  const closed = new Set([1, 2, 7, 11]);
  return TITLES.map((title, index) => {
    const number = index + 1;
    const isBug = bugs.has(number);
    const author = USERS[number % USERS.length]!;
    const assignee = number % 3 === 0 ? USERS[(number + 1) % USERS.length]! : null;
    const created = new Date(Date.UTC(2024, 0, 3) + number * 9 * 86_400_000 + number * 3_600_000);
    const updated = new Date(created.getTime() + (number % 5 + 1) * 86_400_000);
    const labels = [
      ...(isBug ? [LABELS.bug] : number % 4 === 0 ? [LABELS.docs] : [LABELS.enhancement]),
      ...(number % 4 === 1 ? [LABELS.triage] : []),
      ...(isBug && number % 5 === 0 ? [LABELS.p1] : []),
      ...(!isBug && number % 2 === 0 ? [LABELS.gfi] : []),
    ];
    const isClosed = closed.has(number);
    const issueUrl = `${API}/repos/${OWNER}/${REPO}/issues/${number}`;
    return {
      url: issueUrl,
      repository_url: `${API}/repos/${OWNER}/${REPO}`,
      labels_url: `${issueUrl}/labels{/name}`,
      comments_url: `${issueUrl}/comments`,
      events_url: `${issueUrl}/events`,
      html_url: `https://github.com/${OWNER}/${REPO}/issues/${number}`,
      id: 2_100_000_000 + number * 7919,
      node_id: `I_kwDOBenchIs${number.toString().padStart(4, "0")}`,
      number,
      title,
      user: author,
      labels,
      state: isClosed ? "closed" : "open",
      locked: false,
      assignee,
      assignees: assignee ? [assignee] : [],
      milestone: isBug && number % 2 === 0 ? MILESTONE : null,
      comments: (number * 7) % 11,
      created_at: created.toISOString().replace(/\.\d{3}Z$/, "Z"),
      updated_at: updated.toISOString().replace(/\.\d{3}Z$/, "Z"),
      closed_at: isClosed ? updated.toISOString().replace(/\.\d{3}Z$/, "Z") : null,
      author_association: number % 3 === 0 ? "CONTRIBUTOR" : "NONE",
      type: isBug ? { id: 1, node_id: "IT_kwDOBenchBug", name: "Bug", description: "An unexpected problem or behavior", color: "red", created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z", is_enabled: true } : null,
      active_lock_reason: null,
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      issue_dependencies_summary: { blocked_by: 0, total_blocked_by: 0, blocking: 0, total_blocking: 0 },
      body: issueBody(number, title, isBug),
      closed_by: isClosed ? USERS[0] : null,
      reactions: {
        url: `${issueUrl}/reactions`,
        total_count: number % 4,
        "+1": number % 4,
        "-1": 0,
        laugh: 0,
        hooray: 0,
        confused: 0,
        heart: 0,
        rocket: 0,
        eyes: 0,
      },
      timeline_url: `${issueUrl}/timeline`,
      performed_via_github_app: null,
      state_reason: isClosed ? "completed" : null,
    };
  });
}

interface FakeGithub {
  origin: string;
  issues: GithubIssue[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function startFakeGithub(): Promise<FakeGithub> {
  const issues = makeIssues();
  const requests: RecordedRequest[] = [];
  let nextCommentId = 2_512_345_678;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake-github");
    const reply = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body, status, responseBody: text });
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-github-api-version-selected": "2022-11-28" });
      res.end(text);
    };
    const documentation = "https://docs.github.com/rest";
    if (req.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) return reply(401, { message: "Requires authentication", documentation_url: documentation, status: "401" });
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(url.pathname);
    if (req.method === "GET" && list && list[1] === OWNER && list[2] === REPO) {
      const q = url.searchParams;
      const state = q.get("state") ?? "open";
      const wanted = (q.get("labels") ?? "").split(",").map((name) => name.trim()).filter(Boolean);
      const sort = (q.get("sort") ?? "created") as "created" | "updated" | "comments";
      const direction = q.get("direction") ?? "desc";
      const perPage = Number(q.get("per_page") ?? 30);
      const page = Number(q.get("page") ?? 1);
      const key = (issue: GithubIssue) => (sort === "comments" ? issue.comments : Date.parse(sort === "updated" ? issue.updated_at : issue.created_at));
      const found = issues
        .filter((issue) => state === "all" || issue.state === state)
        .filter((issue) => wanted.every((name) => issue.labels.some((l) => l.name === name)))
        .sort((a, b) => (direction === "asc" ? key(a) - key(b) : key(b) - key(a)))
        .slice((page - 1) * perPage, page * perPage);
      return reply(200, found);
    }
    const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (req.method === "POST" && comment && comment[1] === OWNER && comment[2] === REPO) {
      const issue = issues.find((item) => item.number === Number(comment[3]));
      if (!issue) return reply(404, { message: "Not Found", documentation_url: documentation, status: "404" });
      let text: unknown;
      try {
        text = (JSON.parse(body) as { body?: unknown }).body;
      } catch {
        return reply(400, { message: "Problems parsing JSON", documentation_url: documentation, status: "400" });
      }
      if (typeof text !== "string") return reply(422, { message: "Invalid request.\n\nFor 'properties/body', nil is not a string.", documentation_url: documentation, status: "422" });
      const id = nextCommentId++;
      const now = "2024-07-15T10:21:34Z";
      issue.comments += 1;
      return reply(201, {
        url: `${API}/repos/${OWNER}/${REPO}/issues/comments/${id}`,
        html_url: `https://github.com/${OWNER}/${REPO}/issues/${issue.number}#issuecomment-${id}`,
        issue_url: `${API}/repos/${OWNER}/${REPO}/issues/${issue.number}`,
        id,
        node_id: `IC_kwDOBenchCm${id}`,
        user: USERS[0],
        created_at: now,
        updated_at: now,
        body: text,
        author_association: "MEMBER",
        reactions: { url: `${API}/repos/${OWNER}/${REPO}/issues/comments/${id}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
        performed_via_github_app: null,
      });
    }
    return reply(404, { message: "Not Found", documentation_url: documentation, status: "404" });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    issues,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

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
