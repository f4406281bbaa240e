/**
 * The text deploy:setup ends with: the Worker's URL and the Access steps that only the
 * Cloudflare dashboard can do, filled in with this deployment's values. Pure; prints nothing.
 */

/** Which package manager started the script, so the commands we print can be pasted as is. */
export type Runner = "npm" | "bun";

/** What the final text needs to know. */
export interface DeploymentFacts {
  /** `https://<worker>.<subdomain>.workers.dev`, or null when wrangler printed none. */
  workerUrl: string | null;
  /** The values now in wrangler.jsonc; "" when not set. */
  teamDomain: string;
  aud: string;
  runner: Runner;
}

const MANAGED_OAUTH_DOCS = "https://developers.cloudflare.com/cloudflare-one/access-controls/applications/http-apps/managed-oauth/";

/** `npm run deploy:setup -- <flags>` or `bun run deploy:setup <flags>`. */
export function setupCommand(runner: Runner, flags = ""): string {
  const base = runner === "bun" ? "bun run deploy:setup" : "npm run deploy:setup";
  if (flags === "") return base;
  return runner === "bun" ? `${base} ${flags}` : `${base} -- ${flags}`;
}

/** The closing lines: where the Worker runs and the remaining manual Access steps. */
export function describeManualSteps(facts: DeploymentFacts): string[] {
  const host = facts.workerUrl === null ? "<your Worker's hostname>" : new URL(facts.workerUrl).host;
  const teamDomain = facts.teamDomain || "<team>.cloudflareaccess.com";
  const lines = [
    facts.workerUrl === null
      ? "Worker deployed; wrangler printed no workers.dev URL (see Workers & Pages in the dashboard)."
      : `Worker: ${facts.workerUrl}   MCP endpoint: ${facts.workerUrl}/mcp`,
    "",
    "Remaining steps in the Cloudflare dashboard (Zero Trust → Access → Applications):",
    `  1. Add an application → Self-hosted, application domain ${host} with no path, so the`,
    "     whole hostname (console, /api, /mcp) is behind Access; add an Allow policy for your team.",
    "     (For a workers.dev hostname, Workers & Pages → the Worker → Settings → Domains & Routes →",
    "     workers.dev → Enable Cloudflare Access creates this application.)",
  ];
  if (facts.teamDomain !== "" && facts.aud !== "") {
    lines.push(
      `  2. wrangler.jsonc has ACCESS_TEAM_DOMAIN=${facts.teamDomain} and ACCESS_AUD=${facts.aud}:`,
      "     check that ACCESS_AUD is this application's AUD tag (its Overview tab).",
    );
  } else {
    lines.push(
      "  2. Copy the application's AUD tag (its Overview tab) and run:",
      `       ${setupCommand(facts.runner, `--team-domain ${teamDomain} --aud <AUD tag>`)}`,
      "     Until then the Worker answers 503 to every request (it fails closed without Access).",
    );
  }
  lines.push(
    "  3. Enable Managed OAuth on the application, so MCP clients can sign in with OAuth:",
    `     ${MANAGED_OAUTH_DOCS}`,
    "  4. For headless agents: create a service token (Access → Service credentials → Service Tokens),",
    '     then add a policy to the application with the action "Service Auth" that includes it.',
    "     Agents send its CF-Access-Client-Id and CF-Access-Client-Secret headers.",
  );
  return lines;
}
