import { describe, expect, it } from 'vitest';
import { cChart } from './c-chart.js';
import { expectClose } from './fixtures/close.js';

describe('cChart', () => {
  it('computes Poisson limits, z and the upper tail (by hand)', () => {
    const { mu0, points } = cChart([4, 6, 5, 5, 14, 2], { baseline: 4 });
    expect(mu0).toBe(5);
    expectClose(points[0]!.ucl, 5 + 3 * Math.sqrt(5));
    expect(points[0]!.lcl).toBe(0);
    expectClose(points[0]!.z, 9 / Math.sqrt(5));
    expect(points[0]!.flag).toBe(true);
    expectClose(points[0]!.pvalue, 0.000697989979139987, 1e-10); // mpmath, P(X ≥ 14 | 5)
    expectClose(points[1]!.pvalue, 0.9595723180054871, 1e-10); // P(X ≥ 2 | 5)
    expect(points[1]!.flag).toBe(false);
  });

  it('reports z as null for a zero baseline', () => {
    expect(cChart([0, 0, 3], { baseline: 2 }).points[0]).toMatchObject({
      z: null,
      flag: true,
      pvalue: 0,
    });
  });

  it('rejects bad input', () => {
    expect(() => cChart([1, -1], { baseline: 1 })).toThrow(/counts\[1\] must be at least 0/);
    expect(() => cChart([1], { baseline: 1, k: -1 })).toThrow(/options.k must be greater than 0/);
  });
});
