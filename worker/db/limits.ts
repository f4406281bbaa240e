/** D1's limits that shape how statements are written, and grouping to stay within them. */

/** D1 refuses a statement with more than this many bound parameters. */
export const MAX_BOUND_PARAMETERS = 100;

/** `items` in consecutive groups of at most `size`, e.g. one statement per group. */
export function inGroupsOf<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
