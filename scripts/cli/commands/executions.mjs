// @ts-check
/** `executions list` and `executions show`: the history, as the caller may see it. */
import { countOption, PAGE_OPTIONS, stringOption } from "../command.mjs";
import { EXIT, UsageError } from "../failures.mjs";
import { formatExecution, formatExecutionList, json } from "../formatting.mjs";

/** @typedef {import("../command.mjs").Command} Command */

const STATUSES = ["running", "paused", "completed", "failed", "cancelled", "expired"];

/** @type {Command} */
export const executionsList = {
  name: "executions list",
  args: "",
  summary: "Execution history, newest first",
  positionals: [0, 0],
  options: {
    status: { type: "string", value: "<status>", description: `Only this status: ${STATUSES.join(", ")}` },
    ...PAGE_OPTIONS,
  },
  async run(context) {
    const status = stringOption(context.options.status);
    if (status !== undefined && !STATUSES.includes(status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}`);
    const query = { status, limit: countOption(context.options.limit, "limit"), offset: countOption(context.options.offset, "offset") };
    const page = await (await context.connect()).get("/api/executions", query);
    context.print(context.json ? json(page) : formatExecutionList(page));
    return EXIT.ok;
  },
};

/** @type {Command} */
export const executionsShow = {
  name: "executions show",
  args: "<id>",
  summary: "One execution: code, logs, result and every call with its decision",
  positionals: [1, 1],
  async run(context) {
    const client = await context.connect();
    const record = await client.get(`/api/executions/${encodeURIComponent(context.positionals[0] ?? "")}`);
    context.print(context.json ? json(record) : formatExecution(record, client.baseUrl));
    return EXIT.ok;
  },
};
