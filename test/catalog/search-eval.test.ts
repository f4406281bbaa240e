/**
 * The search evaluation as a regression floor: on GitHub's, Stripe's and Resend's real specs,
 * top-1, top-3 and MRR must stay at or above figures just below those measured when the
 * ranker was last tuned (`npx tsx scripts/bench/search.ts` prints them). A change that makes
 * search worse fails here; one that makes it better should raise the floors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { buildSearchIndex, search } from "../../worker/catalog";
import { loadEvalSuites, scoreSuite, unknownExpectations, type EvalSuite, type Split } from "./search-eval/run-eval";

/** Floors per suite and split: top-1 and top-3 as fractions of the cases, MRR. Measured: see the comments. */
const FLOORS: Record<string, Record<Split, { top1: number; top3: number; mrr: number }>> = {
  // measured tune 81.8 / 92.0 / 0.870 (225), holdout 82.9 / 94.3 / 0.880 (70)
  github: { tune: { top1: 0.8, top3: 0.9, mrr: 0.86 }, holdout: { top1: 0.81, top3: 0.92, mrr: 0.86 } },
  // measured tune 79.4 / 90.5 / 0.856 (63), holdout 100 / 100 / 1.000 (24)
  stripe: { tune: { top1: 0.77, top3: 0.88, mrr: 0.83 }, holdout: { top1: 0.95, top3: 0.95, mrr: 0.97 } },
  // measured tune 86.4 / 97.7 / 0.920 (44), holdout 93.3 / 100 / 0.967 (15)
  resend: { tune: { top1: 0.84, top3: 0.95, mrr: 0.9 }, holdout: { top1: 0.9, top3: 0.93, mrr: 0.93 } },
};

let suites: EvalSuite[];

beforeAll(() => {
  suites = loadEvalSuites();
});

describe("the search evaluation", () => {
  it("has at least 100 tasks per split overall and names only tools its specs have", () => {
    expect(suites.map((suite) => suite.integration)).toEqual(Object.keys(FLOORS));
    expect(suites.reduce((sum, suite) => sum + suite.cases.tune.length, 0)).toBeGreaterThanOrEqual(100);
    expect(suites.reduce((sum, suite) => sum + suite.cases.holdout.length, 0)).toBeGreaterThanOrEqual(100);
    for (const suite of suites) expect(unknownExpectations(suite), suite.integration).toEqual([]);
  });

  it.each(["github", "stripe", "resend"])("ranks %s's tools at or above the floors", (integration) => {
    const suite = suites.find((candidate) => candidate.integration === integration)!;
    const index = buildSearchIndex(suite.documents);
    const rank = (query: string) => search(index, query, { limit: 10 }).hits.map((hit) => hit.address);
    for (const split of ["tune", "holdout"] as const) {
      const scores = scoreSuite(suite, rank, split);
      const floor = FLOORS[integration]![split];
      const measured = { top1: scores.top1, top3: scores.top3, mrr: scores.mrr };
      expect(measured.top1, `${integration} ${split} top-1; misses: ${JSON.stringify(scores.misses.slice(0, 5))}`).toBeGreaterThanOrEqual(floor.top1);
      expect(measured.top3, `${integration} ${split} top-3`).toBeGreaterThanOrEqual(floor.top3);
      expect(measured.mrr, `${integration} ${split} MRR`).toBeGreaterThanOrEqual(floor.mrr);
    }
  });
});
