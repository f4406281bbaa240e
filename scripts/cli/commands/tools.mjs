// @ts-check
/** `tools search` and `tools describe`: the catalog as the caller may see it. */
import { countOption, PAGE_OPTIONS, stringOption } from "../command.mjs";
import { EXIT } from "../failures.mjs";
import { formatTool, formatToolList, json } from "../formatting.mjs";

/** @typedef {import("../command.mjs").Command} Command */

/** @type {Command} */
export const toolsSearch = {
  name: "tools search",
  args: "[words...]",
  summary: "Search the catalog (no words: every tool)",
  positionals: [0, Infinity],
  options: {
    integration: { type: "string", value: "<slug>", description: "Only this integration's tools" },
    ...PAGE_OPTIONS,
  },
  async run(context) {
    const query = {
      q: context.positionals.join(" "),
      integration: stringOption(context.options.integration),
      limit: countOption(context.options.limit, "limit"),
      offset: countOption(context.options.offset, "offset"),
    };
    const page = await (await context.connect()).get("/api/tools", query);
    context.print(context.json ? json(page) : formatToolList(page));
    return EXIT.ok;
  },
};

/** @type {Command} */
export const toolsDescribe = {
  name: "tools describe",
  args: "<address>",
  summary: "A tool's description, policy and TypeScript signature",
  positionals: [1, 1],
  async run(context) {
    const address = context.positionals[0] ?? "";
    const tool = await (await context.connect()).get(`/api/tools/${encodeURIComponent(address)}`);
    context.print(context.json ? json(tool) : formatTool(tool));
    return EXIT.ok;
  },
};
