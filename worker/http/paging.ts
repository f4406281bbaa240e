/**
 * List paging (docs/api.md): the list shape. `limit` (default 20, 1 to 100) and `offset` are
 * query parameters, declared and checked with the route's others (api/schemas.ts PAGE_QUERY).
 */

export interface Page {
  limit: number;
  offset: number;
}

/** The list shape of docs/api.md. */
export function pageOf<T>(items: T[], total: number, page: Page): { items: T[]; total: number; nextOffset: number | null } {
  const next = page.offset + items.length;
  return { items, total, nextOffset: next < total && items.length > 0 ? next : null };
}
