import type { Page } from './stored-events';

/** A page as the dashboard shows it: possibly gathered from several pages of the API. */
export interface FilledPage<T> {
  readonly items: readonly T[];
  /** Where the next page starts; null at the end. */
  readonly next: string | null;
  /** Requests sent for this page. */
  readonly requests: number;
}

/**
 * Asks for pages until `limit` items are gathered or the list ends. The API may answer a short
 * page, even an empty one, with a cursor (a rare filter looks at a bounded window per request):
 * that means "keep going", never "the end". At most `maxRequests` requests, so that a filter
 * matching nothing in a long log hands control back to the reader with the cursor reached.
 */
export async function fillPage<T>(
  fetchPage: (cursor: string | null, limit: number) => Promise<Page<T>>,
  start: string | null,
  limit: number,
  maxRequests = 10,
): Promise<FilledPage<T>> {
  const items: T[] = [];
  let cursor = start;
  let requests = 0;
  do {
    const page = await fetchPage(cursor, limit - items.length);
    items.push(...page.items.slice(0, limit - items.length));
    cursor = page.next_cursor;
    requests += 1;
  } while (items.length < limit && cursor !== null && requests < maxRequests);
  return { items, next: cursor, requests };
}
