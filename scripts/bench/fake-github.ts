/**
 * A fake GitHub for the context benchmark: realistic issue and comment objects (the real
 * API's fields, users, labels and milestone), filtering and sorting issues like the real API,
 * and every request recorded. It listens on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The repository the fake serves. */
export const OWNER = "acme";
export const REPO = "widgets";
/** The only token it accepts. */
export const GITHUB_TOKEN = "ghp_benchToken0123456789abcdefABCDEF0123";

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

export interface GithubIssue {
  number: number;
  state: "open" | "closed";
  labels: GithubLabel[];
  created_at: string;
  updated_at: string;
  comments: number;
  [field: string]: unknown;
}

export interface RecordedRequest {
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

export interface FakeGithub {
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

export async function startFakeGithub(): Promise<FakeGithub> {
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
