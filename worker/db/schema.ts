/**
 * The database schema: the single source of truth. drizzle-kit generates the SQL in
 * migrations/ from this file (`npm run db:generate`); never edit a migration once it lands.
 * Times are epoch milliseconds.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Every identity the Worker has seen through Access (or the local developer). */
export const identities = sqliteTable("identities", {
  id: text("id").primaryKey(),
  kind: text("kind").$type<"user" | "service">().notNull(),
  email: text("email"),
  commonName: text("common_name"),
  name: text("name"),
  groups: text("groups", { mode: "json" }).$type<string[]>(),
  firstSeenAt: integer("first_seen_at").notNull(),
  lastSeenAt: integer("last_seen_at").notNull(),
});

/**
 * Encrypted secrets (credentials, tokens). `ciphertext` is the versioned AES-GCM form from
 * secrets/secret-box.ts, bound to the row's id; plaintext never touches this table.
 */
export const secrets = sqliteTable("secrets", {
  id: text("id").primaryKey(),
  ciphertext: text("ciphertext").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export type IdentityRow = typeof identities.$inferSelect;
export type SecretRow = typeof secrets.$inferSelect;
