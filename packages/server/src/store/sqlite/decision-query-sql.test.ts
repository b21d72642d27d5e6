import { describe, expect, it } from 'vitest';
import {
  parseDecisionQuery,
  prepareEvent,
  validateEvent,
  type Cursor,
  type PreparedEvent,
} from '@declog/core';
import { openSqliteDatabase } from './sqlite-database.js';
import { DECISION_SCAN_WINDOW, DECISION_TEXT_SPAN, pageWindow } from './decision-query-sql.js';

function decision(i: number, labels: Record<string, string>): PreparedEvent {
  const result = validateEvent({
    id: `d${i}`,
    type: 'decision',
    occurred_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    model: { name: 'm', version: '1' },
    prediction: { label: 'x' },
    rationale: { summary: i % 2 === 0 ? 'even decision' : 'odd decision' },
    labels,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return prepareEvent(result.event, () => `id-${i}`);
}

describe('a page of decisions on SQLite', () => {
  it('looks at no more than the window, and its cursor goes on from there', async () => {
    const database = openSqliteDatabase(':memory:');
    const store = database.logSync('default');
    const total = 2 * DECISION_SCAN_WINDOW + 500;
    const rare = new Set([10, DECISION_SCAN_WINDOW + 10, 2 * DECISION_SCAN_WINDOW + 10]);
    for (let start = 0; start < total; start += 1000) {
      const events = [];
      for (let i = start; i < Math.min(total, start + 1000); i += 1) {
        events.push(decision(i, rare.has(i) ? { rare: 'yes' } : { rare: 'no' }));
      }
      await store.append(events, '2026-02-01T00:00:00.000Z');
    }
    const parsed = parseDecisionQuery(new URLSearchParams('label.rare=yes&limit=10'));
    if (!parsed.ok) throw new Error('bad query');
    const pages: string[][] = [];
    let after: Cursor | null = null;
    do {
      const page = await store.queryDecisions(parsed.filter, { limit: 10, after });
      pages.push(page.items.map((row) => (JSON.parse(row.json) as { id: string }).id));
      after = page.next;
    } while (after !== null);
    // Newest first: each window of 5,000 decisions holds one of the three.
    expect(pages).toEqual([
      [`d${2 * DECISION_SCAN_WINDOW + 10}`],
      [`d${DECISION_SCAN_WINDOW + 10}`],
      ['d10'],
    ]);
    // Filters an index answers look no further than the page.
    const indexed = parseDecisionQuery(new URLSearchParams('model=m&limit=10'));
    if (!indexed.ok) throw new Error('bad query');
    const first = await store.queryDecisions(indexed.filter, indexed.page);
    expect(first.items).toHaveLength(10);
    // Words are looked for in the window too.
    const words = parseDecisionQuery(new URLSearchParams('q=odd&label.rare=yes'));
    if (!words.ok) throw new Error('bad query');
    const odd = await store.queryDecisions(words.filter, words.page);
    expect(odd.items).toHaveLength(0);
    expect(odd.next).not.toBeNull();
    database.close();
  });
});

describe('pageWindow', () => {
  const keys = (seqs: readonly number[]) =>
    seqs.map((seq, i) => ({ seq, occurred_ms: 1_000_000 - i }));

  it('takes the whole window, and ends it where candidates remain', () => {
    const candidates = keys(Array.from({ length: DECISION_SCAN_WINDOW + 1 }, (_, i) => 20_000 - i));
    const window = pageWindow(candidates, false, 20_001);
    expect(window?.examined).toBe(DECISION_SCAN_WINDOW);
    expect(window?.end).toEqual({
      occurredMs: 1_000_000 - (DECISION_SCAN_WINDOW - 1),
      seq: 20_000 - (DECISION_SCAN_WINDOW - 1),
    });
    expect(pageWindow(keys([5, 4]), false, 6)?.end).toBeNull();
    expect(pageWindow([], false, 0)).toBeNull();
  });

  it('with words, cuts the window where its seqs would span more than the text span', () => {
    // A decision dated far ahead of its arrival comes first in time order, far off in seqs.
    const window = pageWindow(keys([3, 100_000, 99_999, 99_998]), true, 100_001);
    expect(window).toMatchObject({ examined: 1, seqs: [3, 3], end: { seq: 3 } });
    const next = pageWindow(
      keys([100_000, 99_999, 100_000 - DECISION_TEXT_SPAN - 1]),
      true,
      100_001,
    );
    expect(next).toMatchObject({ examined: 2, seqs: [99_999, 100_000] });
  });
});
