import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.js';
import { pChart } from './p-chart.js';

describe('pChart', () => {
  it('computes limits, z, the binomial tail and the EWMA for one point (by hand)', () => {
    const { p0, points } = pChart([5, 5, 5, 5, 15], [100, 100, 100, 100, 100], { baseline: 4 });
    expect(p0).toBe(0.05);
    expect(points).toHaveLength(1);
    const point = points[0]!;
    const sigma = Math.sqrt((0.05 * 0.95) / 100); // 0.021794…
    expect(point.index).toBe(4);
    expect(point.rate).toBe(0.15);
    expectClose(point.ucl, 0.05 + 3 * sigma);
    expectClose(point.lcl, 0); // 0.05 − 0.0654 floored
    expectClose(point.z, (0.15 - 0.05) / sigma);
    expect(point.flag).toBe(true);
    expectClose(point.pvalue, 0.00013585423899229113, 1e-10); // mpmath, P(X ≥ 15 | 100, 0.05)
    // EWMA: 0.2·0.15 + 0.8·0.05 = 0.07; sd = √(0.0475 · 0.2²/100).
    expectClose(point.ewma, 0.07);
    expectClose(point.ewmaUcl, 0.05 + 3 * Math.sqrt((0.0475 * 0.04) / 100));
    expect(point.ewmaFlag).toBe(true);
  });

  it('uses the exact EWMA variance for unequal totals', () => {
    const events = [10, 12, 8, 9, 30, 5];
    const totals = [200, 200, 200, 200, 300, 50];
    const lambda = 0.3;
    const { p0, points } = pChart(events, totals, { baseline: 3, lambda, L: 2.5 });
    expect(p0).toBe(30 / 600);
    // Σ_{i ≤ t} λ²(1 − λ)^{2(t − i)} / n_i over the monitored points 3, 4, 5.
    const monitored = totals.slice(3);
    points.forEach((point, t) => {
      let sum = 0;
      for (let i = 0; i <= t; i++)
        sum += (lambda ** 2 * (1 - lambda) ** (2 * (t - i))) / (monitored[i] as number);
      expectClose(point.ewmaUcl, p0 + 2.5 * Math.sqrt(p0 * (1 - p0) * sum), 1e-12);
    });
    expectClose(
      points[2]!.ewma,
      0.3 * 0.1 + 0.7 * (0.3 * 0.1 + 0.7 * (0.3 * 0.045 + 0.7 * 0.05)),
      1e-12,
    );
  });

  it('reports z as null when the baseline rate is 0, and flags any event then', () => {
    const { points } = pChart([0, 0, 1, 0], [50, 50, 50, 50], { baseline: 2 });
    expect(points.map((p) => [p.z, p.flag, p.pvalue])).toEqual([
      [null, true, 0],
      [null, false, 1],
    ]);
  });

  it('keeps p-values in [0, 1] and lcl ≤ p0 ≤ ucl', () => {
    const point = fc
      .integer({ min: 1, max: 500 })
      .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(fc.array(point, { minLength: 2, maxLength: 20 }), (pts) => {
        const { p0, points } = pChart(
          pts.map((p) => p[0]),
          pts.map((p) => p[1]),
          { baseline: 1 },
        );
        for (const p of points) {
          expect(p.pvalue).toBeGreaterThanOrEqual(0);
          expect(p.pvalue).toBeLessThanOrEqual(1);
          expect(p.lcl).toBeLessThanOrEqual(p0);
          expect(p.ucl).toBeGreaterThanOrEqual(p0);
        }
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => pChart([1], [2], {} as { baseline: number })).toThrow(
      /options.baseline is required/,
    );
    expect(() => pChart([3], [2], { baseline: 1 })).toThrow(/events\[0\] must be at most 2/);
    expect(() => pChart([-1], [2], { baseline: 1 })).toThrow(/events\[0\] must be at least 0/);
    expect(() => pChart([1.5], [2], { baseline: 1 })).toThrow(/events\[0\] must be an integer/);
    expect(() => pChart([0, 1], [0, 2], { baseline: 1 })).toThrow(
      /totals must not sum to 0 over the 1 baseline/,
    );
    expect(() => pChart([1, 0], [2, 0], { baseline: 1 })).toThrow(
      /totals\[1\] must be positive for a monitored point/,
    );
    expect(() => pChart([1], [2], { baseline: 2 })).toThrow(/options.baseline must be at most 1/);
    expect(() => pChart([1], [2], { baseline: 1, lambda: 0 })).toThrow(
      /options.lambda must be greater than 0/,
    );
  });
});
