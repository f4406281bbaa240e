/**
 * The `execute` tool's description: the whole sandbox API in a few lines, plus the
 * integrations an agent can reach. It is most of what an agent sees of this server, so it
 * stays short: the catalog itself is reached through tools.search, never listed here.
 */
import type { IntegrationSummary } from "../catalog";

const MAX_LISTED_INTEGRATIONS = 20;

export function describeExecute(integrations: IntegrationSummary[]): string {
  const listed = integrations.slice(0, MAX_LISTED_INTEGRATIONS).map((item) => `${item.slug} (${item.toolCount} tools)`);
  const more = integrations.length - listed.length;
  return [
    "Run JavaScript or TypeScript in a sandbox where this organization's integrations are async functions. The code is the body of an async function: use await, and `return` the result (JSON). console.log is captured. No fetch or network: everything goes through tools.",
    "Inside the code:",
    '- await tools.search("create issue", {integration?, limit?, offset?}) → {items:[{address, description, requiresApproval}], total, nextOffset}',
    '- await tools.describe("github.issues.create") → {typescript, input, output, ...}',
    "- await tools.<address>(args, {connection?, response?}), e.g. await tools.github.issues.create({owner, repo, title}). {response: \"full\"} answers {data, status, headers}; files travel as {contentType, base64}.",
    "Failed calls throw an Error with .code (invalid_arguments, blocked, declined, upstream_error, ...).",
    'Calls that need a human\'s approval pause the run: the answer has status "paused" and approval.url; after the human decides, call resume with the executionId.',
    `Integrations: ${listed.join(", ")}${more > 0 ? ` and ${more} more (tools.search finds them)` : ""}.`,
  ].join("\n");
}
