import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemsWithinBytes } from './page-bytes.js';

const pageBytes = (items: readonly string[]) => Buffer.byteLength(items.join(','));

describe('itemsWithinBytes', () => {
  it('keeps the longest prefix whose items and commas fit, and at least one item', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 400 }),
        (items, maxBytes) => {
          const n = itemsWithinBytes(items, maxBytes);
          expect(n).toBe(Math.min(n, items.length));
          expect(n).toBeGreaterThanOrEqual(Math.min(1, items.length));
          if (n > 1) expect(pageBytes(items.slice(0, n))).toBeLessThanOrEqual(maxBytes);
          if (n < items.length) expect(pageBytes(items.slice(0, n + 1))).toBeGreaterThan(maxBytes);
        },
      ),
    );
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(itemsWithinBytes(['"é"', '"é"'], 9)).toBe(2);
    expect(itemsWithinBytes(['"é"', '"é"'], 8)).toBe(1);
  });
});
