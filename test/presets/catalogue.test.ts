/**
 * The preset catalogue (worker/presets/catalogue.ts) as data: every entry has a usable slug,
 * https URLs, auth the Worker can set up, globs that compile and policy patterns that parse;
 * where the real description is in the repository (test fixtures, npm packages), the
 * suggested policies name tools it really has and the default scopes are ones it declares.
 * Pure: converters only, no Worker.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { OAUTH_PROVIDERS } from "../../worker/connections/oauth-providers";
import { checkSlug } from "../../worker/integrations/slug";
import { patternMatches, patternProblem } from "../../worker/policies/match";
import { PRESETS, presetById } from "../../worker/presets";
import { importGoogleDiscovery } from "../../worker/sources/google";
import { importGraphql, introspectionFromSdl } from "../../worker/sources/graphql";
import { compilePathFilter, importOpenApi, parseSpecText } from "../../worker/sources/openapi";

const ROOT = resolve(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(resolve(ROOT, path), "utf8");

/** Real descriptions in the repository, by preset: the tool names they make. */
const REAL_TOOLS: Record<string, () => string[]> = {
  github: () => importOpenApi(JSON.parse(read("node_modules/@octokit/openapi/generated/api.github.com.json"))).tools.map((tool) => tool.name),
  github_graphql: () => importGraphql(introspectionFromSdl(read("node_modules/@octokit/graphql-schema/schema.graphql"))).tools.map((tool) => tool.name),
  slack: () => importOpenApi(JSON.parse(read("test/fixtures/slack/slack_web_openapi_v2.slice.json")), { omitParameters: ["token"] }).tools.map((tool) => tool.name),
  gmail: () => importGoogleDiscovery(JSON.parse(read("test/fixtures/google-discovery/gmail.v1.json"))).tools.map((tool) => tool.name),
  google_calendar: () => importGoogleDiscovery(JSON.parse(read("test/fixtures/google-discovery/calendar.v3.json"))).tools.map((tool) => tool.name),
  google_drive: () => importGoogleDiscovery(JSON.parse(read("test/fixtures/google-discovery/drive.v3.json"))).tools.map((tool) => tool.name),
};

/** Discovery documents in the repository, by preset: the scopes they declare. */
const DECLARED_SCOPES: Record<string, string> = {
  gmail: "gmail.v1",
  google_calendar: "calendar.v3",
  google_drive: "drive.v3",
};

describe("the preset catalogue", () => {
  it("has the services issue 16 names", () => {
    expect(PRESETS.map((preset) => preset.id)).toEqual(
      expect.arrayContaining([
        "github", "github_graphql", "gitlab", "linear", "slack", "notion", "jira", "atlassian", "sentry", "stripe", "cloudflare",
        "gmail", "google_calendar", "google_drive", "google_sheets", "google_docs",
        "outlook_mail", "outlook_calendar", "onedrive", "microsoft_users", "teams_chat",
      ]),
    );
    expect(presetById("linear")?.kind).toBe("graphql");
    expect(presetById("nope")).toBeUndefined();
  });

  it.each(PRESETS.map((preset) => [preset.id, preset] as const))("%s is well formed", (id, preset) => {
    expect(() => checkSlug(id)).not.toThrow();
    expect(PRESETS.filter((other) => other.id === id)).toHaveLength(1);
    for (const url of [preset.url, preset.schemaUrl].filter(Boolean)) expect(new URL(url!).protocol).toBe("https:");
    expect(preset.name.length).toBeGreaterThan(0);
    expect(preset.description.length).toBeGreaterThan(20);
    expect(preset.source.length).toBeGreaterThan(10);
    if (preset.schemaUrl) expect(preset.kind).toBe("graphql");
    if (preset.include || preset.exclude || preset.omitParameters) expect(preset.kind).toBe("openapi");
    expect(() => compilePathFilter({ include: [...(preset.include ?? [])], exclude: [...(preset.exclude ?? [])] })).not.toThrow();
    if (preset.kind === "google") expect(preset.url).toMatch(/^https:\/\/www\.googleapis\.com\/discovery\/v1\/apis\/[a-z]+\/v\d+\/rest$/);

    expect(preset.auth.length).toBeGreaterThan(0);
    for (const auth of preset.auth) {
      if (auth.type === "oauth2" && "provider" in auth) {
        expect(OAUTH_PROVIDERS[auth.provider]).toBeDefined();
        expect(auth.scopes.length).toBeGreaterThan(0);
      } else if (auth.type === "oauth2") {
        // Discovery and dynamic registration: only MCP servers announce their authorization server.
        expect(preset.kind).toBe("mcp");
      } else {
        expect(auth.hint.length).toBeGreaterThan(10);
      }
    }
    for (const policy of preset.policies) {
      expect(patternProblem(`${id}.${policy.pattern}`)).toBeNull();
      expect(policy.reason.length).toBeGreaterThan(10);
    }
  });

  it.each(Object.keys(REAL_TOOLS))("%s: the suggested policies name tools the real description has", (id) => {
    const preset = presetById(id)!;
    const names = REAL_TOOLS[id]!();
    for (const policy of preset.policies) {
      expect(names.some((name) => patternMatches(policy.pattern, name)), `${policy.pattern} matches no ${id} tool`).toBe(true);
    }
  });

  it.each(Object.keys(DECLARED_SCOPES))("%s: the default scopes are ones the Discovery document declares", (id) => {
    const declared = importGoogleDiscovery(JSON.parse(read(`test/fixtures/google-discovery/${DECLARED_SCOPES[id]}.json`))).scopes;
    const oauth = presetById(id)!.auth.find((auth) => auth.type === "oauth2" && "provider" in auth);
    expect(oauth && "scopes" in oauth ? oauth.scopes : []).toSatisfy((scopes: readonly string[]) => scopes.every((scope) => declared.includes(scope)));
  });

  it("the Outlook mail slice (Microsoft's real file) imports whole, small enough to need no include", () => {
    const imported = importOpenApi(parseSpecText(read("test/fixtures/msgraph/Mail.yml")));
    expect(presetById("outlook_mail")?.include).toBeUndefined();
    expect(imported.baseUrl).toBe("https://graph.microsoft.com/v1.0");
    expect(imported.tools.length).toBeGreaterThan(40);
  });
});
