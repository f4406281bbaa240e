// @ts-check
/**
 * `integrations list` and `integrations add`. Adding by URL detects the kind first unless
 * `--kind` says it; connections (credentials) are added in the console, where secrets are
 * typed into a form rather than a shell history.
 */
import { stringOption } from "../command.mjs";
import { EXIT, UsageError } from "../failures.mjs";
import { clean, formatIntegrationList, json } from "../formatting.mjs";

/** @typedef {import("../command.mjs").Command} Command */

const KINDS = ["openapi", "graphql", "mcp"];

/** @type {Command} */
export const integrationsList = {
  name: "integrations list",
  args: "",
  summary: "Integrations with their tool counts",
  positionals: [0, 0],
  async run(context) {
    const page = await (await context.connect()).get("/api/integrations");
    context.print(context.json ? json(page) : formatIntegrationList(page));
    return EXIT.ok;
  },
};

/** @type {Command} */
export const integrationsAdd = {
  name: "integrations add",
  args: "<url>",
  summary: "Add an OpenAPI, GraphQL or MCP integration by URL (admins)",
  help: `Without --kind the deployment first detects what the URL serves. Credentials are added
afterwards in the console, on the integration's page.`,
  positionals: [1, 1],
  options: {
    kind: { type: "string", value: "<kind>", description: "openapi, graphql or mcp (default: detected)" },
    slug: { type: "string", value: "<slug>", description: "The name tools are called by (default: from the source)" },
    name: { type: "string", value: "<name>", description: "A display name" },
    "base-url": { type: "string", value: "<url>", description: "Send calls here instead of the spec's server (OpenAPI)" },
  },
  async run(context) {
    const url = context.positionals[0] ?? "";
    if (!/^https?:\/\//i.test(url)) throw new UsageError(`Not an http(s) URL: ${url}`);
    let kind = stringOption(context.options.kind);
    if (kind !== undefined && !KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(", ")}`);
    const client = await context.connect();
    if (kind === undefined) {
      const detected = await client.post("/api/integrations/detect", { url });
      kind = /** @type {string} */ (detected.kind);
      context.note(`Detected ${kind}${detected.name ? `: ${clean(detected.name)}` : ""}`);
    }
    const added = await client.post("/api/integrations", {
      kind,
      url,
      slug: stringOption(context.options.slug),
      name: stringOption(context.options.name),
      baseUrl: stringOption(context.options["base-url"]),
    });
    if (context.json) {
      context.print(json(added));
      return EXIT.ok;
    }
    context.print(`Added ${added.slug}: ${clean(added.name)} (${added.kind}, ${added.toolCount} tools)`);
    if (added.needsConnection) {
      context.note(`It needs a connection before its tools can be listed: add one at ${client.baseUrl}/integrations/${added.slug}, then refresh it`);
    }
    return EXIT.ok;
  },
};
