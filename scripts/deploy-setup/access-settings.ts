/**
 * Checks the Access settings deploy:setup writes into wrangler.jsonc: the team domain and the
 * application's AUD tag(s). Pure; returns results. The Worker parses the same vars again at
 * runtime (worker/config); this check only catches typos before they are deployed.
 */

/** A checked value, or why it was refused (a sentence naming the expected shape). */
export type SettingResult = { ok: true; value: string } | { ok: false; reason: string };

// Team names are DNS labels: letters, digits and inner hyphens.
const TEAM_DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.cloudflareaccess\.com$/;
// Access AUD tags are 32 random bytes in lowercase hex.
const AUD_TAG = /^[0-9a-f]{64}$/;

/**
 * `<team>.cloudflareaccess.com`, also accepted as `https://<team>.cloudflareaccess.com/`;
 * normalised to the bare lowercase host, the form wrangler.jsonc documents.
 */
export function parseTeamDomain(input: string): SettingResult {
  const host = input.trim().toLowerCase().replace(/^https:\/\//, "").replace(/\/$/, "");
  if (TEAM_DOMAIN.test(host)) return { ok: true, value: host };
  return { ok: false, reason: `"${input}" is not a team domain: expected <team>.cloudflareaccess.com` };
}

/** One AUD tag, or several separated by commas (the Worker accepts any of them). */
export function parseAudTags(input: string): SettingResult {
  const tags = input
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  if (tags.length === 0) return { ok: false, reason: "the AUD tag is empty" };
  const bad = tags.find((tag) => !AUD_TAG.test(tag));
  if (bad !== undefined) {
    return { ok: false, reason: `"${bad}" is not an AUD tag: expected 64 lowercase hex characters (the application's Overview tab)` };
  }
  return { ok: true, value: tags.join(",") };
}
