/** List paging (docs/api.md): `limit` (default 20, at most 100) and `offset`. */
import { ExecutorError } from "../errors";

export interface Page {
  limit: number;
  offset: number;
}

/** Reads `limit` and `offset` from a query, or throws `invalid_request` naming the bad one. */
export function readPage(query: Record<string, string | string[] | undefined>): Page {
  return {
    limit: integerParam(query.limit, "limit", 20, 1, 100),
    offset: integerParam(query.offset, "offset", 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

/** The list shape of docs/api.md. */
export function pageOf<T>(items: T[], total: number, page: Page): { items: T[]; total: number; nextOffset: number | null } {
  const next = page.offset + items.length;
  return { items, total, nextOffset: next < total && items.length > 0 ? next : null };
}

function integerParam(value: string | string[] | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const number = Number(Array.isArray(value) ? value[0] : value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ExecutorError("invalid_request", `${name} must be an integer from ${min} to ${max}`, { details: [{ field: name, problem: `integer ${min}..${max}` }] });
  }
  return number;
}
