/**
 * What migrations this build ships and which the database has applied, for /api/status.
 * wrangler records applied files in `d1_migrations`; drizzle-kit's journal lists ours.
 */
import journal from "../../migrations/meta/_journal.json";

/** File names of the migrations bundled with this build, in order. */
export const BUNDLED_MIGRATIONS: string[] = journal.entries.map((entry) => `${entry.tag}.sql`);

export interface MigrationStatus {
  applied: number;
  latest: number;
  pending: string[];
}

/** Compares the bundled migrations with wrangler's `d1_migrations` table (absent = none applied). */
export async function migrationStatus(binding: D1Database): Promise<MigrationStatus> {
  let applied: string[] = [];
  try {
    const result = await binding.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
    applied = result.results.map((row) => row.name);
  } catch (error) {
    if (!String(error).includes("no such table")) throw error;
  }
  const done = new Set(applied);
  return {
    applied: applied.length,
    latest: BUNDLED_MIGRATIONS.length,
    pending: BUNDLED_MIGRATIONS.filter((name) => !done.has(name)),
  };
}
