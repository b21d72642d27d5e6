import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  consistencyNodes,
  consistencyRanges,
  inclusionNodes,
  inclusionRanges,
  isValidSubtree,
  splitPoint,
  subtreeNodes,
} from './tree-math.js';

describe('tree math', () => {
  it('splits at the largest power of two below n', () => {
    expect([2, 3, 4, 5, 8, 9, 1_000_000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 524_288]);
    expect(splitPoint(2 ** 52 + 1)).toBe(2 ** 52);
  });

  it('decomposes a range into aligned complete nodes, largest first', () => {
    expect(subtreeNodes(0, 0)).toEqual([]);
    expect(subtreeNodes(0, 6)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
    ]);
    expect(subtreeNodes(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(subtreeNodes(4, 8)).toEqual([{ level: 2, index: 1 }]);
  });

  it('recognises valid subtree ranges', () => {
    expect(isValidSubtree(0, 7)).toBe(true);
    expect(isValidSubtree(8, 13)).toBe(true);
    expect(isValidSubtree(5, 5)).toBe(true);
    expect(isValidSubtree(4, 9)).toBe(false); // 5 leaves need alignment to 8
    expect(isValidSubtree(2, 1)).toBe(false);
    expect(isValidSubtree(-1, 1)).toBe(false);
    expect(() => subtreeNodes(4, 9)).toThrow(RangeError);
  });

  it('covers every range exactly with nodes that start where the previous one ended', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 20), fc.nat(40), fc.nat(2 ** 20), (a, shift, w) => {
        const width = Math.min(w, 2 ** shift);
        let ceil = 1;
        while (ceil < width) ceil *= 2;
        const start = a * ceil;
        let at = start;
        for (const node of subtreeNodes(start, start + width)) {
          expect(node.index * 2 ** node.level).toBe(at);
          at += 2 ** node.level;
        }
        expect(at).toBe(start + width);
      }),
    );
  });

  it('plans O(log n) node reads for a million-entry log', () => {
    for (const [index, size] of [
      [0, 1_000_000],
      [999_999, 1_000_000],
      [524_287, 1_000_000],
      [123_456, 999_999],
    ] as const) {
      expect(inclusionNodes(index, size).length).toBeLessThanOrEqual(2 * 20);
    }
    expect(consistencyNodes(1, 1_000_000).length).toBeLessThanOrEqual(2 * 20);
    expect(consistencyNodes(777_777, 1_000_000).length).toBeLessThanOrEqual(2 * 20);
  });

  it('only ever asks for valid subtree ranges inside the tree', () => {
    for (let size = 1; size <= 70; size++) {
      for (let m = 0; m < size; m++) {
        for (const r of inclusionRanges(m, size)) {
          expect(isValidSubtree(r.start, r.end) && r.end <= size).toBe(true);
        }
        for (const r of consistencyRanges(m + 1, size)) {
          expect(isValidSubtree(r.start, r.end) && r.end <= size).toBe(true);
        }
      }
    }
  });

  it('refuses impossible requests', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => inclusionRanges(-1, 3)).toThrow(RangeError);
    expect(() => inclusionRanges(0.5, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
    expect(consistencyRanges(3, 3)).toEqual([]);
  });
});
