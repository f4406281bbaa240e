/**
 * Values that may exceed a D1 row (results up to 4 MB, logs up to 1 MB): stored inline when
 * small, else split into `large_texts` parts with a reference left in the column.
 */
import { asc, eq, like } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "./client";
import { largeTexts } from "./schema";

/** Inline values stay well under D1's per-row limit. */
const INLINE_MAX_CHARS = 256 * 1024;
const PART_CHARS = 512 * 1024;
const REFERENCE_PREFIX = "@large:";

/** What to put in the column, plus the statements that store the parts (if any). */
export function packLargeText(db: Database, key: string, text: string | null): { column: string | null; statements: BatchItem<"sqlite">[] } {
  // Parts left behind when a value later shrinks are unreferenced and go with their execution.
  if (text === null || (text.length <= INLINE_MAX_CHARS && !text.startsWith(REFERENCE_PREFIX))) {
    return { column: text, statements: [] };
  }
  const statements: BatchItem<"sqlite">[] = [db.delete(largeTexts).where(eq(largeTexts.key, key))];
  for (let part = 0, offset = 0; offset < text.length; part += 1, offset += PART_CHARS) {
    statements.push(db.insert(largeTexts).values({ key, part, data: text.slice(offset, offset + PART_CHARS) }));
  }
  return { column: `${REFERENCE_PREFIX}${key}`, statements };
}

/** The full text behind a column value. */
export async function unpackLargeText(db: Database, column: string | null): Promise<string | null> {
  if (column === null || !column.startsWith(REFERENCE_PREFIX)) return column;
  const key = column.slice(REFERENCE_PREFIX.length);
  const parts = await db.select({ data: largeTexts.data }).from(largeTexts).where(eq(largeTexts.key, key)).orderBy(asc(largeTexts.part));
  return parts.map((part) => part.data).join("");
}

/** Statements that remove every part whose key starts with `prefix`. */
export function deleteLargeTexts(db: Database, prefix: string): BatchItem<"sqlite"> {
  return db.delete(largeTexts).where(like(largeTexts.key, `${prefix}%`));
}
