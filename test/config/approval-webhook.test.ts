/** The approval webhook's settings, wherever they come from: pure, a table of input → outcome. */
import { describe, expect, it } from "vitest";
import { guessFormat, parseApprovalWebhook, parseConfig, webhookUrlHint } from "../../worker/config";

const SECRET = "s".repeat(16);

describe("parseApprovalWebhook", () => {
  it.each([
    ["https://hooks.slack.com/services/T0/B0/x", "", "", false, { format: "slack", secret: null }],
    ["https://acme.webhook.office.com/webhookb2/x", "", "", false, { format: "teams", secret: null }],
    ["https://prod-01.westeurope.logic.azure.com/workflows/x", "", SECRET, false, { format: "teams", secret: SECRET }],
    ["https://example.com/hook", "", SECRET, false, { format: "generic", secret: SECRET }],
    ["https://example.com/hook", "SLACK", "", false, { format: "slack", secret: null }],
    ["http://127.0.0.1:9000/hook", "generic", SECRET, true, { format: "generic", secret: SECRET }],
  ])("accepts %s (format %j)", (url, format, secret, allowLocalNetwork, expected) => {
    const result = parseApprovalWebhook({ url, format, secret }, allowLocalNetwork);
    expect(result).toEqual({ ok: true, webhook: { url, ...expected } });
  });

  it.each([
    ["not a url", "", SECRET, false, ["url"]],
    ["http://example.com/hook", "generic", SECRET, false, ["url"]],
    ["ftp://example.com/hook", "generic", SECRET, true, ["url"]],
    ["https://user:pw@example.com/hook", "generic", SECRET, false, ["url"]],
    ["https://example.com/hook", "discord", SECRET, false, ["format"]],
    ["https://example.com/hook", "generic", "", false, ["secret"]],
    ["https://example.com/hook", "", "", false, ["secret"]],
    ["https://hooks.slack.com/services/x", "", "short", false, ["secret"]],
  ])("refuses %s (format %j, secret %j), naming %j", (url, format, secret, allowLocalNetwork, fields) => {
    const result = parseApprovalWebhook({ url, format, secret }, allowLocalNetwork);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.field)).toEqual(fields);
  });

  it.each([
    ["https://hooks.slack.com/services/x", "slack"],
    ["https://x.webhook.office.com/y", "teams"],
    ["https://x.api.powerplatform.com/y", "teams"],
    ["https://hooks.slack.com.evil.example/x", "generic"],
  ])("guesses the format of %s: %s", (url, format) => {
    expect(guessFormat(new URL(url))).toBe(format);
  });

  it("shows only the URL's origin", () => {
    expect(webhookUrlHint("https://hooks.slack.com/services/T0/B0/secretpart")).toBe("https://hooks.slack.com/…");
  });
});

describe("the Worker's APPROVAL_WEBHOOK_* settings", () => {
  const base = { EXECUTOR_SECRET_KEY: "k".repeat(32), ACCESS_TEAM_DOMAIN: "team.cloudflareaccess.com", ACCESS_AUD: "aud1" };

  it("are optional, and parsed when set", () => {
    expect(parseConfig(base)).toMatchObject({ ok: true, config: { approvalWebhook: null } });
    expect(parseConfig({ ...base, APPROVAL_WEBHOOK_URL: "https://hooks.slack.com/services/x" })).toMatchObject({
      ok: true,
      config: { approvalWebhook: { url: "https://hooks.slack.com/services/x", format: "slack", secret: null } },
    });
  });

  it.each([
    [{ APPROVAL_WEBHOOK_URL: "hooks.slack.com/services/x" }, "APPROVAL_WEBHOOK_URL"],
    [{ APPROVAL_WEBHOOK_URL: "https://example.com/hook" }, "APPROVAL_WEBHOOK_SECRET"],
    [{ APPROVAL_WEBHOOK_URL: "https://example.com/hook", APPROVAL_WEBHOOK_FORMAT: "xml", APPROVAL_WEBHOOK_SECRET: SECRET }, "APPROVAL_WEBHOOK_FORMAT"],
    [{ EXECUTOR_SECRET_KEY_PREVIOUS: "short" }, "EXECUTOR_SECRET_KEY_PREVIOUS"],
  ])("a value that is set but unusable is fatal (503), named: %o", (override, name) => {
    const result = parseConfig({ ...base, ...override });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.missing.join()).toContain(name);
  });
});
