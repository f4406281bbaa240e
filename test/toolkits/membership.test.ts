/** Who may use a toolkit (toolkits/membership.ts): pure, so a table. */
import { describe, expect, it } from "vitest";
import type { ToolkitMembers } from "../../worker/db";
import { mayUseToolkit } from "../../worker/toolkits";

type Who = Parameters<typeof mayUseToolkit>[0];
const ada: Who = { kind: "user", email: "ada@example.com", groups: ["eng", "oncall"] };
const bob: Who = { kind: "user", email: "bob@example.com" };
const bot: Who = { kind: "service", subject: "ci-bot.access" };
const otherBot: Who = { kind: "service", subject: "deploy-bot.access" };

describe("mayUseToolkit", () => {
  it.each<[string, Who, ToolkitMembers | null, boolean]>([
    ["no members: everyone past the gate", bob, null, true],
    ["no members: agents too", bot, null, true],
    ["by email", ada, { emails: ["ada@example.com"] }, true],
    ["by email, case-insensitive", ada, { emails: ["Ada@Example.com"] }, true],
    ["by Access group", ada, { groups: ["oncall"] }, true],
    ["a group the person is not in", bob, { groups: ["oncall"] }, false],
    ["group names are exact", ada, { groups: ["Eng"] }, false],
    ["by service token common_name", bot, { serviceTokens: ["ci-bot.access"] }, true],
    ["another service token", otherBot, { serviceTokens: ["ci-bot.access"] }, false],
    ["a person is not matched by a service token's name", { kind: "user", email: "ci-bot.access" }, { serviceTokens: ["ci-bot.access"] }, false],
    ["an agent is not matched by email or group", bot, { emails: ["ci-bot.access"], groups: ["eng"] }, false],
    ["any list matches", bob, { groups: ["eng"], emails: ["bob@example.com"] }, true],
    ["members set but every list empty: nobody (closed, not open)", ada, { emails: [], groups: [], serviceTokens: [] }, false],
    ["members set but no lists: nobody", bot, {}, false],
  ])("%s", (_why, who, members, expected) => {
    expect(mayUseToolkit(who, members)).toBe(expected);
  });
});
