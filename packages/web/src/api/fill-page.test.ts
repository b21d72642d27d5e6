import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillPage } from './fill-page';
import type { Page } from './stored-events';

/** A list served in pages as the API serves a rare filter: short pages, even empty ones. */
function served(items: readonly number[], pageSizes: readonly number[]) {
  const asked: { cursor: string | null; limit: number }[] = [];
  const fetchPage = async (cursor: string | null, limit: number): Promise<Page<number>> => {
    asked.push({ cursor, limit });
    const start = cursor === null ? 0 : Number(cursor);
    const size = Math.min(limit, pageSizes[asked.length - 1] ?? limit);
    const end = Math.min(items.length, start + size);
    return { items: items.slice(start, end), next_cursor: end < items.length ? String(end) : null };
  };
  return { fetchPage, asked };
}

describe('fillPage', () => {
  it('keeps asking past short and empty pages until the page is full', async () => {
    const { fetchPage, asked } = served([1, 2, 3, 4, 5, 6, 7], [0, 2, 0, 1, 9]);
    const page = await fillPage(fetchPage, null, 4);
    expect(page).toEqual({ items: [1, 2, 3, 4], next: '4', requests: 5 });
    expect(asked.map((a) => a.limit)).toEqual([4, 4, 2, 2, 1]);
  });

  it('stops at the end of the list, and after maxRequests with the cursor reached', async () => {
    expect(await fillPage(served([1, 2], [5]).fetchPage, null, 10)).toEqual({
      items: [1, 2],
      next: null,
      requests: 1,
    });
    const rare = served([1, 2, 3], [0, 0, 0, 0]);
    expect(await fillPage(rare.fetchPage, '1', 2, 3)).toEqual({
      items: [],
      next: '1',
      requests: 3,
    });
  });

  it('returns the list in order, never more than asked, whatever the page sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 40 }),
        fc.array(fc.nat(6), { maxLength: 30 }),
        fc.integer({ min: 1, max: 15 }),
        async (items, sizes, limit) => {
          const page = await fillPage(served(items, sizes).fetchPage, null, limit, 100);
          expect(page.items).toEqual(items.slice(0, page.items.length));
          expect(page.items.length).toBeLessThanOrEqual(limit);
          if (page.next === null) expect(page.items).toEqual(items.slice(0, limit));
        },
      ),
    );
  });
});
