import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.js';
import { normals, uniforms } from './fixtures/samples.js';
import { psi } from './psi.js';

// Reference values: Evidently 0.7's `get_binned_data(..., feel_zeroes=True)` and `_psi`
// replayed with NumPy 2.4 (np.histogram_bin_edges(pooled, 'sturges'), np.histogram, the
// value counts over the union of values, np.place for the zero fill) on the same doubles.

describe('psi', () => {
  it('bins numerical data with more than 20 distinct values by a sturges histogram', () => {
    const result = psi(normals(51, 1000), normals(52, 800, 0.3));
    expect(result.binning).toBe('histogram');
    expect(result.keys).toBeNull();
    expect(result.edges).toHaveLength(13);
    expect(result.edges?.[0]).toBe(-3.276823226362467);
    expect(result.edges?.[1]).toBe(-2.73179305405356);
    expect(result.edges?.[12]).toBe(3.263538841344416);
    expect(result.referencePercents.slice(0, 3)).toEqual([0.001, 0.006, 0.032]);
    expect(result.currentPercents.slice(-3)).toEqual([0.0675, 0.01375, 0.00375]);
    expectClose(result.value, 0.07442657347798565);
  });

  it("fills empty bins by Evidently's rule on both sides", () => {
    const result = psi(normals(53, 500), normals(54, 400, 3));
    expect(result.referencePercents).toEqual([
      0.014, 0.084, 0.214, 0.346, 0.228, 0.094, 0.02, 0.0001, 0.0001, 0.0001, 0.0001,
    ]);
    expect(result.currentPercents).toEqual([
      0.0001, 0.0001, 0.0001, 0.01, 0.04, 0.095, 0.3075, 0.3025, 0.1975, 0.0375, 0.01,
    ]);
    expectClose(result.value, 8.76637151104053);
  });

  it('takes NumPy edges bit for bit when the pooled size is a power of two (1024)', () => {
    const result = psi(normals(57, 600), normals(58, 424));
    expect(result.edges).toEqual([
      -2.9943643249571323, -2.4314828102942556, -1.868601295631379, -1.3057197809685022,
      -0.7428382663056254, -0.1799567516427487, 0.382924763020128, 0.9458062776830047,
      1.5086877923458815, 2.071569307008758, 2.634450821671635, 3.1973323363345116,
    ]);
    expectClose(result.value, 0.05368638208518611);
  });

  it('counts values when there are 20 or fewer distinct reference values', () => {
    const ref = uniforms(55, 300).map((x) => Math.trunc(x * 5));
    const cur = uniforms(56, 200).map((x) => Math.trunc(x * 6));
    const result = psi(ref, cur);
    expect(result.binning).toBe('values');
    expect(result.edges).toBeNull();
    expect(result.keys).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.referencePercents).toEqual([
      0.20333333333333334, 0.23, 0.19333333333333333, 0.17, 0.20333333333333334, 0.0001,
    ]);
    expect(result.currentPercents).toEqual([0.155, 0.175, 0.15, 0.16, 0.15, 0.21]);
    expectClose(result.value, 1.6616483322216842);
  });

  it('treats strings as categories, sorted by code point', () => {
    // By hand: ref (2/3, 1/3), cur (1/3, 2/3): 2·(1/3)·ln 2 = 0.46209812037329684.
    const result = psi(['a', 'a', 'b'], ['a', 'b', 'b']);
    expectClose(result.value, (2 / 3) * Math.LN2);
    expect(psi(['\u{1F600}', '\uFFFD'], ['\uFFFD']).keys).toEqual(['\uFFFD', '\u{1F600}']);
    expect(psi([2, 'x', 1], ['x'], { featureType: 'categorical' }).keys).toEqual([1, 2, 'x']);
  });

  it('is 0 for identical samples and never negative', () => {
    const sample = fc.array(
      fc.oneof(fc.integer({ min: 0, max: 30 }), fc.double({ min: -5, max: 5, noNaN: true })),
      {
        minLength: 1,
        maxLength: 80,
      },
    );
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        expect(psi(a, [...a].reverse()).value).toBe(0);
        expect(psi(a, b).value).toBeGreaterThanOrEqual(0);
        expect(psi(a, b)).toEqual(psi([...a].reverse(), [...b].reverse()));
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => psi([], [1])).toThrow(/psi: reference must not be empty/);
    expect(() => psi([1], [Number.NaN])).toThrow(
      /current\[0\] must be a finite number or a string/,
    );
    expect(() => psi([1, 'a'], [1], { featureType: 'numerical' })).toThrow(
      /reference\[1\] must be a number/,
    );
    expect(() => psi([1], [1], { featureType: 'ordinal' as 'numerical' })).toThrow(RangeError);
  });
});
