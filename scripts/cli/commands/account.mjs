// @ts-check
/** `login`, `whoami` and `status`: which deployment, who we are there, and its health. */
import { configPath, normalizeUrl, saveUrl } from "../config-file.mjs";
import { EXIT } from "../failures.mjs";
import { formatMe, formatStatus, json } from "../formatting.mjs";

/** @typedef {import("../command.mjs").Command} Command */

/** @type {Command} */
export const login = {
  name: "login",
  args: "<url>",
  summary: "Save the deployment's URL and check who you are there",
  help: `Saves the URL (only the URL, never a credential) in $XDG_CONFIG_HOME/executor/config.json
(else ~/.config/executor/config.json), then asks the deployment who you are. Access
credentials come from the environment (see \`executor --help\`).`,
  positionals: [1, 1],
  async run(context) {
    const baseUrl = normalizeUrl(context.positionals[0] ?? "");
    const path = configPath(context.env);
    saveUrl(path, baseUrl);
    context.note(`Saved ${baseUrl} in ${path}`);
    const client = await context.connect(baseUrl);
    const me = await client.get("/api/me");
    if (context.json) context.print(json(me));
    else context.print(`Logged in to ${baseUrl} as ${me.id}`);
    return EXIT.ok;
  },
};

/** @type {Command} */
export const whoami = {
  name: "whoami",
  args: "",
  summary: "Show the identity Access lets through, with its roles",
  positionals: [0, 0],
  async run(context) {
    const me = await (await context.connect()).get("/api/me");
    context.print(context.json ? json(me) : formatMe(me));
    return EXIT.ok;
  },
};

/** @type {Command} */
export const status = {
  name: "status",
  args: "",
  summary: "Version, migrations and configuration health",
  positionals: [0, 0],
  async run(context) {
    const client = await context.connect();
    const answer = await client.get("/api/status");
    context.print(context.json ? json(answer) : formatStatus(answer, client.baseUrl));
    return EXIT.ok;
  },
};
