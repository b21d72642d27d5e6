/**
 * The most bytes of items a page of any list answer holds (decisions, log entries, trail
 * entries): a page ends early, with its cursor, rather than pass it, whatever its `limit`. One
 * item alone may pass it (the first of a page is always sent).
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * How many of `items` (JSON texts, in order) fit in a page of `maxBytes`: their UTF-8 bytes
 * and the commas between them, and never fewer than one when there is one.
 *
 * @example itemsWithinBytes(['{"a":1}', '{"b":2}'], 10) // 1: the second would make 15 bytes
 */
export function itemsWithinBytes(items: readonly string[], maxBytes = MAX_PAGE_BYTES): number {
  let bytes = 0;
  for (const [i, item] of items.entries()) {
    bytes += Buffer.byteLength(item) + (i > 0 ? 1 : 0);
    if (i > 0 && bytes > maxBytes) return i;
  }
  return items.length;
}
