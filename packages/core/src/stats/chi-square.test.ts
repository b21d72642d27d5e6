import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquare } from './chi-square.js';
import { expectClose, expectPvalue } from './fixtures/close.js';
import { proportionZTest } from './proportion-z-test.js';

describe('chiSquare', () => {
  it("reproduces SciPy 1.10's chi2_contingency docstring example (2 × 3)", () => {
    const result = chiSquare([
      [10, 10, 20],
      [20, 20, 20],
    ]);
    expectClose(result.statistic, 2.7777777777777777);
    expectPvalue(result.pvalue, 0.2493522087772962);
    expect(result.dof).toBe(2);
    expect(result.expected).toEqual([
      [12, 12, 16],
      [18, 18, 24],
    ]);
  });

  it('applies Yates only when asked, and only for one degree of freedom', () => {
    // By hand: [[10, 20], [30, 40]], expected [[12, 18], [28, 42]], |o − e| = 2 everywhere.
    // Plain: 4·(1/12 + 1/18 + 1/28 + 1/42) = 0.7936507936507937; Yates: 2.25·(…) = 0.44642857142857145.
    const table = [
      [10, 20],
      [30, 40],
    ];
    expectClose(chiSquare(table).statistic, 4 * (1 / 12 + 1 / 18 + 1 / 28 + 1 / 42));
    expectClose(
      chiSquare(table, { correction: true }).statistic,
      2.25 * (1 / 12 + 1 / 18 + 1 / 28 + 1 / 42),
    );
    // dof = 2: the correction does nothing.
    const wide = [
      [10, 10, 20],
      [20, 20, 20],
    ];
    expect(chiSquare(wide, { correction: true })).toEqual(chiSquare(wide));
    // |o − e| below ½ moves only to the expected value (SciPy gh-13875).
    expect(
      chiSquare(
        [
          [5, 5],
          [5, 5.25],
        ],
        { correction: true },
      ).statistic,
    ).toBe(0);
  });

  it('gives statistic 0 and p-value 1 for a single row (dof 0), as SciPy', () => {
    expect(chiSquare([[3, 4, 5]])).toMatchObject({ statistic: 0, pvalue: 1, dof: 0 });
  });

  it('on a 2×2 table equals the squared pooled z of the two proportions', () => {
    const counts = fc.integer({ min: 0, max: 500 });
    fc.assert(
      fc.property(counts, counts, counts, counts, (a, b, c, d) => {
        fc.pre(a + b > 0 && c + d > 0 && a + c > 0 && b + d > 0);
        const table = chiSquare([
          [a, b],
          [c, d],
        ]);
        const z = proportionZTest(
          [...Array<1>(a).fill(1), ...Array<0>(b).fill(0)],
          [...Array<1>(c).fill(1), ...Array<0>(d).fill(0)],
        );
        expectClose(table.statistic, z.z ** 2, 1e-9);
        expectClose(table.pvalue, z.pvalue, 1e-9, 1e-12);
      }),
    );
  });

  it('does not depend on the order of rows or columns, and keeps p in [0, 1]', () => {
    const table = fc.array(
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 3, maxLength: 3 }),
      {
        minLength: 2,
        maxLength: 5,
      },
    );
    fc.assert(
      fc.property(table, (t) => {
        const result = chiSquare(t);
        expect(result.pvalue).toBeGreaterThanOrEqual(0);
        expect(result.pvalue).toBeLessThanOrEqual(1);
        const permuted = chiSquare([...t].reverse().map((row) => [...row].reverse()));
        expectClose(permuted.statistic, result.statistic, 1e-12);
      }),
    );
  });

  it('rejects tables SciPy rejects, and other bad input', () => {
    expect(() => chiSquare([])).toThrow(/chiSquare: table must not be empty/);
    expect(() => chiSquare([[1, 2], [3]])).toThrow(/table\[1\] must have 2 columns/);
    expect(() => chiSquare([[1, -2]])).toThrow(
      /table\[0\]\[1\] must be a finite count, not negative/,
    );
    expect(() =>
      chiSquare([
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/column 1 sums to 0/);
    expect(() =>
      chiSquare([
        [0, 0],
        [2, 1],
      ]),
    ).toThrow(/table\[0\] sums to 0/);
    expect(() => chiSquare([[0, 0]])).toThrow(/must not be all zeros/);
    expect(() => chiSquare([[1, 2]], { correction: 'yes' as unknown as boolean })).toThrow(
      /must be a boolean/,
    );
  });
});
