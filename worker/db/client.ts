/** The drizzle client over the D1 binding, built once per binding (per isolate). */
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

const clients = new WeakMap<D1Database, Database>();

/** The isolate's drizzle client for this D1 binding. */
export function database(binding: D1Database): Database {
  let client = clients.get(binding);
  if (!client) {
    client = drizzle(binding, { schema });
    clients.set(binding, client);
  }
  return client;
}
