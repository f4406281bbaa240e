/**
 * Text to search terms, the same way for a tool's fields and for a query: HTML tags and
 * entities dropped, camelCase / snake_case / kebab-case split, lower-cased, `re-run` joined to
 * `rerun`, English stop words dropped, the abbreviations agents use spelled out (`PR` → pull
 * request, `repo` → repository), then stemmed with the Porter stemmer so that `merging`,
 * `merged` and `merges` meet `merge`. It knows nothing of fields, weights or equivalences.
 */
import { stemmer } from "stemmer";

/**
 * Spelled out before stemming, on both sides, because each is the same thing under another
 * spelling (unlike the verb equivalences in equivalences.ts, which are near-synonyms and only
 * widen a query).
 */
export const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  pr: ["pull", "request"],
  prs: ["pull", "requests"],
  repo: ["repository"],
  repos: ["repositories"],
  org: ["organization"],
  orgs: ["organizations"],
  // An API calls the caller "the authenticated user"; agents say I, me and my.
  i: ["authenticated", "user"],
  me: ["authenticated", "user"],
  my: ["authenticated", "user"],
  mine: ["authenticated", "user"],
  myself: ["authenticated", "user"],
  // A person the task leaves unnamed is, to an API, a user.
  someone: ["user"],
  somebody: ["user"],
  anyone: ["user"],
};

/**
 * Common English function words. Pronouns that name the caller (`i`, `me`, `my`) are not
 * here: they mean "the authenticated user" to an API (ABBREVIATIONS). Neither are `all`,
 * `new` or `open`, which stand in for verbs (equivalences.ts).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about after am an and any are as at be been before being but by can could did do does doing each " +
    "for from had has have having he her here hers him his how if in into is it its just let more most " +
    "much no nor not of off on once only or other our ours out own please same she should so some such " +
    "than that the their theirs them then there these they this those through to too under until up us " +
    "very via was we were what when where which while who whom whose why will with would you your yours"
  ).split(" "),
);

const stems = new Map<string, string>();
/** Stems are cached: an API's vocabulary is a few thousand words, seen over and over. */
const STEM_CACHE_LIMIT = 50_000;

/** Search terms of `text`, in order, repeats kept (the ranker counts them). */
export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const word of wordsOf(text)) {
    if (STOP_WORDS.has(word)) continue;
    const spelled = ABBREVIATIONS[word];
    if (spelled) for (const part of spelled) terms.push(stem(part));
    else terms.push(stem(word));
  }
  return terms;
}

/** Lower-cased words of `text`: tags and entities dropped, identifiers split, `re` joined to the next word. */
export function wordsOf(text: string): string[] {
  const raw = text
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z]+;|&#[0-9]+;/gi, " ")
    // An acronym's plural is one word: PRs, URLs, IDs.
    .replace(/([A-Z]{2,})s(?![a-z])/g, (_, acronym: string) => ` ${acronym.toLowerCase()}s `)
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  const words: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i]!;
    if (word === "") continue;
    // `re-run`, `reRun` and `re run` are `rerun`, as the paths spell it.
    if (word === "re" && i + 1 < raw.length && /^[a-z]/.test(raw[i + 1]!)) {
      words.push(`re${raw[++i]}`);
      continue;
    }
    words.push(word);
  }
  return words;
}

/** The stem of one lower-case word. */
export function stem(word: string): string {
  let stemmed = stems.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(word, stemmed);
  }
  return stemmed;
}
