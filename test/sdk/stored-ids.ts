import { expect } from 'vitest';
import { ADMIN_AUTH } from '../helpers/admin-key.js';

/** The id of every event in the log, in log order, read page by page through GET /v1/events. */
export async function storedIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let from: number | null = 0; from !== null;) {
    const response = await fetch(`${url}/v1/events?from=${from}&limit=1000`, {
      headers: ADMIN_AUTH,
    });
    if (response.status === 400 && from > 0) break; // past the end of an empty tail
    expect(response.status, await response.clone().text()).toBe(200);
    const page = (await response.json()) as {
      items: { event: { id: string } }[];
      next: number | null;
    };
    ids.push(...page.items.map((item) => item.event.id));
    from = page.next;
  }
  return ids;
}

/** Fails unless every id of `expected` is stored exactly once and nothing else is stored. */
export function expectExactlyOnce(stored: readonly string[], expected: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const id of stored) counts.set(id, (counts.get(id) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const missing = expected.filter((id) => !counts.has(id));
  const wanted = new Set(expected);
  const unexpected = stored.filter((id) => !wanted.has(id));
  expect({
    twice,
    missing: missing.slice(0, 20),
    missingCount: missing.length,
    unexpected,
  }).toEqual({
    twice: [],
    missing: [],
    missingCount: 0,
    unexpected: [],
  });
}

export const range = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);
