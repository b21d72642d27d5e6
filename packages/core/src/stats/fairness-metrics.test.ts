import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fairnessMetrics } from './fairness-metrics.js';

describe('fairnessMetrics', () => {
  // By hand. Group a: 4 rows, truth 1 1 0 0, predictions 1 0 1 0 → selection 2/4, TPR 1/2,
  // FPR 1/2. Group b: 2 rows, truth 1 0, predictions 1 1 → selection 1, TPR 1, FPR 1.
  // Group c: 2 rows without truth, predictions 0 1 → selection 1/2, no TPR or FPR.
  const yTrue = [1, 1, 0, 0, 1, 0, null, null] as const;
  const yPred = [1, 0, 1, 0, 1, 1, 0, 1] as const;
  const groups = ['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c'];
  const result = fairnessMetrics([...yTrue], [...yPred], groups);

  it('reports rates by group and overall, ground truth only where it exists', () => {
    expect(result.groups).toEqual(['a', 'b', 'c']);
    expect(result.groupSizes).toEqual({ a: 4, b: 2, c: 2 });
    expect(result.selectionRate).toEqual({ byGroup: { a: 0.5, b: 1, c: 0.5 }, overall: 5 / 8 });
    expect(result.truePositiveRate).toEqual({ byGroup: { a: 0.5, b: 1 }, overall: 2 / 3 });
    expect(result.falsePositiveRate).toEqual({ byGroup: { a: 0.5, b: 1 }, overall: 2 / 3 });
  });

  it('takes differences as max − min and ratios as min / max', () => {
    expect(result.demographicParityDifference).toBe(0.5);
    expect(result.demographicParityRatio).toBe(0.5);
    expect(result.equalizedOddsDifference).toBe(0.5);
    expect(result.equalizedOddsRatio).toBe(0.5);
    expect(result.equalOpportunityDifference).toBe(0.5);
  });

  it('applies the four-fifths rule against the most selected group', () => {
    expect(result.fourFifths).toEqual({
      referenceGroup: 'b',
      impactRatio: { a: 0.5, b: 1, c: 0.5 },
      below: ['a', 'c'],
      passes: false,
    });
    // Exactly 4/5 passes (compared on counts, not on rounded ratios): 4/10 against 5/10.
    const exact = fairnessMetrics(
      Array<null>(20).fill(null),
      [
        ...Array<1>(4).fill(1),
        ...Array<0>(6).fill(0),
        ...Array<1>(5).fill(1),
        ...Array<0>(5).fill(0),
      ],
      [...Array<string>(10).fill('x'), ...Array<string>(10).fill('y')],
    );
    expect(exact.fourFifths.below).toEqual([]);
    expect(exact.fourFifths.passes).toBe(true);
  });

  it("follows Fairlearn's conventions for empty denominators", () => {
    // No positives in group a: its TPR is 0 (Fairlearn), so the TPR ratio is 0 / 1.
    const r = fairnessMetrics([0, 0, 1], [1, 0, 1], ['a', 'a', 'b']);
    expect(r.truePositiveRate?.byGroup).toEqual({ a: 0, b: 1 });
    // FPR: a 1/2, b 0 (no negatives).
    expect(r.falsePositiveRate?.byGroup).toEqual({ a: 0.5, b: 0 });
    expect(r.equalizedOddsRatio).toBe(0);
    // Nobody selected: ratios undefined, differences 0.
    const none = fairnessMetrics([1, 0], [0, 0], ['a', 'b']);
    expect(none.demographicParityRatio).toBeNull();
    expect(none.demographicParityDifference).toBe(0);
    expect(none.fourFifths.impactRatio).toEqual({ a: null, b: null });
    expect(none.fourFifths.passes).toBe(true);
    // No ground truth at all.
    const unlabelled = fairnessMetrics([null], [1], ['a']);
    expect(unlabelled.truePositiveRate).toBeNull();
    expect(unlabelled.equalizedOddsDifference).toBeNull();
  });

  it('keeps group names as data, "__proto__" included, and sorts them by code point', () => {
    const r = fairnessMetrics([1, 1, 1], [1, 0, 1], ['__proto__', 'constructor', '\u{1F600}']);
    expect(Object.keys(r.groupSizes)).toEqual(['__proto__', 'constructor', '\u{1F600}']);
    expect(Object.getPrototypeOf(r.groupSizes)).toBe(Object.prototype);
    expect(r.selectionRate.byGroup['__proto__']).toBe(1);
  });

  it('does not depend on the order of rows, and keeps rates in [0, 1]', () => {
    const row = fc.tuple(
      fc.constantFrom(0 as const, 1 as const, null),
      fc.constantFrom(0 as const, 1 as const),
      fc.constantFrom('a', 'b', 'c'),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 50 }), (rows) => {
        const r1 = fairnessMetrics(
          rows.map((r) => r[0]),
          rows.map((r) => r[1]),
          rows.map((r) => r[2]),
        );
        const back = [...rows].reverse();
        expect(
          fairnessMetrics(
            back.map((r) => r[0]),
            back.map((r) => r[1]),
            back.map((r) => r[2]),
          ),
        ).toEqual(r1);
        expect(r1.demographicParityDifference).toBeGreaterThanOrEqual(0);
        expect(r1.demographicParityDifference).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => fairnessMetrics([], [], [])).toThrow(/yTrue must not be empty/);
    expect(() => fairnessMetrics([1], [1, 0], ['a'])).toThrow(
      /yPred must have as many values as yTrue/,
    );
    expect(() => fairnessMetrics([2 as 1], [1], ['a'])).toThrow(/yTrue\[0\] must be 0, 1 or null/);
    expect(() => fairnessMetrics([1], [1], [3 as unknown as string])).toThrow(
      /groups\[0\] must be a string/,
    );
  });
});
