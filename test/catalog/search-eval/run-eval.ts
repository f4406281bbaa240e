/**
 * The search evaluation: plain-word tasks over three real specs (GitHub REST, Stripe, Resend),
 * each with the tool that does it, scored as top-1, top-3 and mean reciprocal rank (of the
 * first right tool within the first ten). The `tune` cases are the ones the ranker was tuned
 * on; the `holdout` cases were written after tuning and show what to expect on phrasings
 * nobody tuned for.
 *
 * Pure Node: the specs are imported with `importOpenApi` and ranked in process, no Worker.
 * Used by test/catalog/search-eval.test.ts (floors) and scripts/bench/search.ts (figures).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { searchDocumentOf, type SearchDocument } from "../../../worker/catalog";
import { importOpenApi, parseSpecText } from "../../../worker/sources/openapi";
import { GITHUB_CASES, GITHUB_HOLDOUT } from "./cases/github";
import { RESEND_CASES, RESEND_HOLDOUT } from "./cases/resend";
import { STRIPE_CASES, STRIPE_HOLDOUT } from "./cases/stripe";

/** A task in plain words and the tool name(s), without the integration, that do it. */
export type EvalCase = readonly [query: string, expected: string | readonly string[]];

export type Split = "tune" | "holdout";

export interface EvalSuite {
  /** The integration slug the spec is imported under. */
  integration: string;
  cases: Readonly<Record<Split, readonly EvalCase[]>>;
  documents: SearchDocument[];
}

/** Addresses best first (only the first ten are read). */
export type Rank = (query: string) => readonly string[];

export interface Scores {
  cases: number;
  /** Fractions of cases, 0..1. */
  top1: number;
  top3: number;
  mrr: number;
  misses: { query: string; expected: string[]; got: string[] }[];
}

const RANKS_READ = 10;

/** The three suites, imported from their specs. */
export function loadEvalSuites(): EvalSuite[] {
  const githubSpec = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
  return [
    suite("github", readFileSync(githubSpec, "utf8"), { tune: GITHUB_CASES, holdout: GITHUB_HOLDOUT }),
    suite("stripe", readFileSync(fileURLToPath(new URL("specs/stripe.json", import.meta.url)), "utf8"), { tune: STRIPE_CASES, holdout: STRIPE_HOLDOUT }),
    suite("resend", readFileSync(fileURLToPath(new URL("specs/resend.json", import.meta.url)), "utf8"), { tune: RESEND_CASES, holdout: RESEND_HOLDOUT }),
  ];
}

/** Scores `rank` on one split of the suite's cases, or on both. */
export function scoreSuite(suite: EvalSuite, rank: Rank, split?: Split): Scores {
  const chosen = split === undefined ? [...suite.cases.tune, ...suite.cases.holdout] : suite.cases[split];
  const integration = suite.integration;
  let top1 = 0;
  let top3 = 0;
  let reciprocal = 0;
  const misses: Scores["misses"] = [];
  for (const [query, expected] of chosen) {
    const wanted = (typeof expected === "string" ? [expected] : [...expected]).map((name) => `${integration}.${name}`);
    const got = rank(query).slice(0, RANKS_READ);
    const position = got.findIndex((address) => wanted.includes(address));
    if (position === 0) top1++;
    if (position >= 0 && position < 3) top3++;
    if (position >= 0) reciprocal += 1 / (position + 1);
    if (position !== 0) misses.push({ query, expected: wanted, got: got.slice(0, 3) });
  }
  const n = Math.max(1, chosen.length);
  return { cases: chosen.length, top1: top1 / n, top3: top3 / n, mrr: reciprocal / n, misses };
}

/** Expected tool names that the suite's spec does not have (a stale case). */
export function unknownExpectations(suite: EvalSuite): string[] {
  const addresses = new Set(suite.documents.map((document) => document.address));
  return [...suite.cases.tune, ...suite.cases.holdout].flatMap(([, expected]) => (typeof expected === "string" ? [expected] : [...expected])).filter((name) => !addresses.has(`${suite.integration}.${name}`));
}

function suite(integration: string, specText: string, cases: EvalSuite["cases"]): EvalSuite {
  const imported = importOpenApi(parseSpecText(specText));
  const documents = imported.tools.map((tool) =>
    searchDocumentOf({ address: `${integration}.${tool.name}`, integration, description: tool.description, inputSchema: tool.inputSchema, invocation: tool.invocation }),
  );
  return { integration, cases, documents };
}
