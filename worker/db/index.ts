export { database, type Database } from "./client";
export { recordIdentity } from "./identities";
export { migrationStatus, BUNDLED_MIGRATIONS, type MigrationStatus } from "./migrations";
export * as schema from "./schema";
