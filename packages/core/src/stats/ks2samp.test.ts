import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linspace } from './_histogram.js';
import { expectClose, expectPvalue } from './fixtures/close.js';
import { normals } from './fixtures/samples.js';
import { ks2samp } from './ks2samp.js';

const shift = (xs: readonly number[], c: number) => xs.map((x) => x + c);
const repeat = (v: number, k: number) => Array<number>(k).fill(v);
const quarter = (xs: readonly number[]) => xs.map((x) => Math.round(x * 4) / 4);

describe('ks2samp against SciPy 1.10', () => {
  // Expected values from SciPy 1.10.1's own test suite, scipy/stats/tests/test_stats.py,
  // class TestKSTwoSamples (the same inputs, built with np.linspace as `linspace` does).
  const cases: [string, number[], number[], 'two-sided' | 'less' | 'greater', number, number][] = [
    ['[0] vs [1]', [0], [1], 'two-sided', 1, 1],
    ['[0] vs [1]', [0], [1], 'greater', 1, 0.5],
    ['[0] vs [1]', [0], [1], 'less', 0, 1],
    ['[1] vs [0]', [1], [0], 'less', 1, 0.5],
    ['2 vs 3', [1.01, 2.01], [1, 2, 3], 'greater', 1 / 3, 0.7],
    ['2 vs 3', [0.99, 1.99], [1, 2, 3], 'two-sided', 2 / 3, 0.6],
    ['2 vs 3', [0.99, 1.99], [1, 2, 3], 'greater', 2 / 3, 0.3],
    ['2 vs 4', [1.01, 2.01], [1, 2, 3, 4], 'two-sided', 2 / 4, 14 / 15],
    ['2 vs 4', [1.01, 2.01], [1, 2, 3, 4], 'greater', 2 / 4, 8 / 15],
    ['2 vs 4', [1.01, 2.01], [1, 2, 3, 4], 'less', 1 / 4, 12 / 15],
    ['2 vs 4', [0.99, 1.99], [1, 2, 3, 4], 'two-sided', 3 / 4, 6 / 15],
    ['equal sizes', [1, 2, 3], [2, 3, 4], 'greater', 1 / 3, 0.75],
    ['equal sizes', [1, 2, 3], [0.5, 1.5, 2.5], 'less', 1 / 3, 0.75],
  ];
  it.each(cases)('%s, %s', (_name, a, b, alternative, statistic, pvalue) => {
    const result = ks2samp(a, b, { alternative });
    expectClose(result.statistic, statistic);
    expectPvalue(result.pvalue, pvalue);
    expect(result.method).toBe('exact');
  });

  it('agrees on 100 vs 100 and 100 vs 110 points (exact, both alternatives)', () => {
    const x100 = linspace(1, 100, 100);
    const x110 = linspace(1, 100, 110);
    const check = (
      a: number[],
      b: number[],
      alt: 'two-sided' | 'greater',
      d: number,
      p: number,
    ) => {
      const r = ks2samp(a, b, { alternative: alt });
      expectClose(r.statistic, d);
      expectPvalue(r.pvalue, p);
    };
    check(x100, shift(x100, 2.1), 'two-sided', 3 / 100, 0.9999999999962055);
    check(x100, shift(x100, 2.1), 'greater', 3 / 100, 0.9143290114276248);
    check(x100, shift(x100, 1.9), 'greater', 2 / 100, 0.960978450786184);
    check(x100, shift(x110, 20.1), 'two-sided', 232 / 1100, 0.015739183865607353);
    check(x100, shift(x110, 20.1), 'greater', 232 / 1100, 0.007869594319053203);
    check(x100, shift(x110, 19.9), 'two-sided', 229 / 1100, 0.017803803861026313);
    check(x100, shift(x110, 19.9), 'greater', 229 / 1100, 0.008901905958245056);
  });

  it('agrees on repeated values (ties)', () => {
    const x2233 = [...repeat(2, 3), ...repeat(3, 4), ...repeat(5, 5), ...repeat(6, 4)];
    const x2356 = [...repeat(2, 3), ...repeat(3, 4), ...repeat(5, 10), ...repeat(6, 4)];
    const x3467 = [...repeat(3, 10), ...repeat(4, 2), ...repeat(6, 10), ...repeat(7, 4)];
    expectPvalue(ks2samp(x2233, shift(x2233, 1)).pvalue, 0.4262934613454952);
    expectPvalue(
      ks2samp(x2233, shift(x2233, 1), { alternative: 'greater' }).pvalue,
      0.21465428276573786,
    );
    const r = ks2samp(x2356, x3467);
    expectClose(r.statistic, 190 / 21 / 26);
    expectPvalue(r.pvalue, 0.0919245790168125);
    expectPvalue(ks2samp(x2356, x3467, { alternative: 'greater' }).pvalue, 0.0459633806858544);
    expectPvalue(ks2samp(x2356, x3467, { alternative: 'less' }).pvalue, 0.6121593130022775);
  });

  it('falls back to the asymptotic p-value where SciPy cannot count paths (500 vs 600)', () => {
    const delta = 1 / 500 / 600 / 2 / 2;
    const x = linspace(1, 200, 500).map((v) => v - delta);
    const y = linspace(2, 200, 600);
    // C(1100, 500) overflows a double: SciPy warns and answers with Hodges' formula.
    const greater = ks2samp(x, y, { alternative: 'greater', method: 'exact' });
    expect(greater.method).toBe('asymp');
    expectPvalue(greater.pvalue, 0.9697596024683929);
    expectPvalue(
      ks2samp(x, y, { alternative: 'less', method: 'asymp' }).pvalue,
      0.9968735843165021,
    );
    expect(ks2samp(x, y).pvalue).toBe(1);
  });

  it('agrees on 10000 vs 110 (exact) and 10000 vs 11000 (auto is asymptotic above 10,000)', () => {
    let delta = 1 / 10000 / 110 / 2 / 2;
    let x = linspace(1, 200, 10000).map((v) => v - delta);
    let y = linspace(2, 100, 110);
    expectPvalue(ks2samp(x, y, { alternative: 'greater' }).pvalue, 0.9911545458204759);
    expectPvalue(ks2samp(x, y, { alternative: 'less' }).pvalue, 3.1317328311518713e-26);
    // SciPy's suite expects 4.218847493575595e-15 here only to 6 decimals (it predates the
    // two-sided recursion of SciPy 1.10); exact integer path counting in Python gives
    // 6.2634656622…e-26 for D = 55275/110000, twice the one-sided tail as it must be.
    expectPvalue(ks2samp(x, y).pvalue, 6.263465662e-26, 1e-9);

    delta = 1 / 10000 / 11000 / 2 / 2;
    x = linspace(1, 200, 10000).map((v) => v - delta);
    y = linspace(2, 200, 11000);
    const auto = ks2samp(x, y);
    expect(auto.method).toBe('asymp');
    expectClose(auto.statistic, 563 / 110000);
    expectPvalue(auto.pvalue, 0.9990660108966576); // the Pelz-Good approximation
    expectPvalue(ks2samp(x, y, { method: 'exact' }).pvalue, 0.9990456491488628);
    expectPvalue(ks2samp(x, y, { alternative: 'greater' }).pvalue, 0.7561851877420673);
    expectPvalue(ks2samp(x, y, { alternative: 'less' }).pvalue, 0.9998239693191724);
  });

  it.each([
    ['greater', 5.9, 5.9, 1],
    ['less', 6.1, 6.0, -1],
    ['two-sided', 5.9, 5.9, 1],
    ['two-sided', 6.1, 6.0, -1],
  ] as const)(
    'locates the statistic as SciPy does (%s, x[6] = %s)',
    (alternative, x6, location, sign) => {
      // SciPy's test_location_sign.
      const y = Array.from({ length: 10 }, (_, i) => i);
      const x = y.map((v, i) => (i === 6 ? x6 : v));
      const result = ks2samp(x, y, { alternative });
      expect(result.statistic).toBe(0.1);
      expect(result.statisticLocation).toBe(location);
      expect(result.statisticSign).toBe(sign);
    },
  );
});

describe('ks2samp against exact path counts', () => {
  // The statistic and location from NumPy as SciPy computes them, the p-value by counting
  // lattice paths with Python's exact integers (a dynamic programme over the (m+1)(n+1)
  // grid, independent of SciPy's algorithms), on the samples of fixtures/samples.ts.
  const cases = [
    [
      'normals 300 vs 200',
      normals(11, 300),
      normals(12, 200, 0.25),
      'two-sided',
      0.08,
      0.31860332982614636,
      1,
      0.4115432028915938,
    ],
    [
      'normals 300 vs 200',
      normals(11, 300),
      normals(12, 200, 0.25),
      'greater',
      0.08,
      0.31860332982614636,
      1,
      0.20759016033255168,
    ],
    [
      'normals 300 vs 200',
      normals(11, 300),
      normals(12, 200, 0.25),
      'less',
      1 / 60,
      -1.2574826907366514,
      -1,
      0.9282653569497079,
    ],
    [
      'normals 40 vs 40',
      normals(13, 40),
      normals(14, 40, 0.5),
      'two-sided',
      0.3,
      0.6132708969525993,
      1,
      0.05414107748036271,
    ],
    [
      'normals 40 vs 40',
      normals(13, 40),
      normals(14, 40, 0.5),
      'greater',
      0.3,
      0.6132708969525993,
      1,
      0.02707078949751611,
    ],
    [
      'ties 120 vs 90',
      quarter(normals(15, 120)),
      quarter(normals(16, 90, -0.3)),
      'two-sided',
      0.16944444444444445,
      0,
      -1,
      0.094407788350578,
    ],
    [
      'ties 120 vs 90',
      quarter(normals(15, 120)),
      quarter(normals(16, 90, -0.3)),
      'greater',
      0.013888888888888888,
      -1.75,
      1,
      0.9714605986386444,
    ],
    [
      'ties 120 vs 90',
      quarter(normals(15, 120)),
      quarter(normals(16, 90, -0.3)),
      'less',
      0.16944444444444445,
      0,
      -1,
      0.047208013093467914,
    ],
  ] as const;
  it.each(cases)('%s, %s', (_name, a, b, alternative, d, location, sign, p) => {
    const result = ks2samp(a, b, { alternative });
    expect(result.method).toBe('exact');
    expectClose(result.statistic, d, 1e-12);
    expect(result.statisticLocation).toBe(location);
    expect(result.statisticSign).toBe(sign);
    expectPvalue(result.pvalue, p, 1e-9);
  });
});

describe('ks2samp asymptotic p-values', () => {
  // Two-sided: kstwo.sf(D, round(mn/(m+n))), referenced by the exact one-sample distribution
  // in 50-digit mpmath, by Durbin's matrix (D·n small) or as twice the Birnbaum-Tingey sum
  // (D·n large, where SciPy takes 2·smirnov). One-sided: Hodges' formula in mpmath.
  const cases = [
    [
      'n = 36, Durbin region',
      normals(21, 60),
      normals(22, 90, 0.1),
      'two-sided',
      0.5021553325140684,
    ],
    [
      'n = 36, Pomeranz region',
      normals(21, 60),
      normals(22, 90, 0.3),
      'two-sided',
      0.040082161579346944,
    ],
    [
      'n = 36, Pomeranz region',
      normals(21, 60),
      normals(22, 90, 0.4),
      'two-sided',
      0.011811134658155831,
    ],
    [
      'n = 36, Pomeranz region',
      normals(21, 60),
      normals(22, 90, 0.5),
      'two-sided',
      0.0013583015795651944,
    ],
    [
      'n = 36, 2·smirnov',
      normals(21, 60),
      normals(22, 90, 0.6),
      'two-sided',
      0.0003423572893377979,
    ],
    ['n = 36, D ≥ 1/2', normals(21, 60), normals(22, 90, 1.3), 'two-sided', 1.56895963642777e-10],
    ['n = 36, D ≥ 1/2', normals(21, 60), normals(22, 90, 3), 'two-sided', 6.708499863448434e-32],
    ['n = 36, one-sided', normals(21, 60), normals(22, 90, 0.6), 'greater', 0.00018685359070247403],
    [
      'n = 1364, 2·smirnov',
      normals(23, 3000),
      normals(24, 2500, 0.15),
      'two-sided',
      0.00008891221506138246,
    ],
  ] as const;
  it.each(cases)('%s', (_name, a, b, alternative, p) => {
    const result = ks2samp(a, b, { alternative, method: 'asymp' });
    expect(result.method).toBe('asymp');
    expectPvalue(result.pvalue, p, 1e-9);
  });

  it('is what auto chooses above 10,000 values (n = 5143, 2·smirnov)', () => {
    const result = ks2samp(normals(25, 12000), normals(26, 9000, 0.08));
    expect(result.method).toBe('asymp');
    expectPvalue(result.pvalue, 1.2296181922873696e-8, 1e-9);
  });

  it("uses Durbin's matrix for large n and small D (n = 8571)", () => {
    const a = Array.from({ length: 20000 }, (_, i) => i / 20000);
    const b = Array.from({ length: 15000 }, (_, j) => ((j + 0.5) / 15000) * 1.002);
    const result = ks2samp(a, b);
    expectClose(result.statistic, 0.002066666666666661, 1e-12);
    expectPvalue(result.pvalue, 0.9999999999999447, 1e-9);
  });
});

describe('ks2samp properties', () => {
  const sample = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), {
    minLength: 1,
    maxLength: 40,
  });
  const alternative = fc.constantFrom('two-sided' as const, 'less' as const, 'greater' as const);

  it('gives p-values in [0, 1] and statistics in [0, 1], for every method', () => {
    fc.assert(
      fc.property(
        sample,
        sample,
        alternative,
        fc.constantFrom('auto' as const, 'exact' as const, 'asymp' as const),
        (a, b, alt, method) => {
          const r = ks2samp(a, b, { alternative: alt, method });
          expect(r.pvalue).toBeGreaterThanOrEqual(0);
          expect(r.pvalue).toBeLessThanOrEqual(1);
          expect(r.statistic).toBeGreaterThanOrEqual(0);
          expect(r.statistic).toBeLessThanOrEqual(1);
          expect([...a, ...b]).toContain(r.statisticLocation);
        },
      ),
    );
  });

  it('does not depend on the order of either sample, and does not mutate them', () => {
    fc.assert(
      fc.property(sample, sample, alternative, (a, b, alt) => {
        const before = [...a];
        const r1 = ks2samp(a, b, { alternative: alt });
        expect(a).toEqual(before);
        const r2 = ks2samp(
          [...a].reverse(),
          [...b].sort((x, y) => y - x),
          { alternative: alt },
        );
        expect(r2).toEqual(r1);
      }),
    );
  });

  it('swaps greater and less when the samples are swapped', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const greater = ks2samp(a, b, { alternative: 'greater' });
        const less = ks2samp(b, a, { alternative: 'less' });
        expect(less.statistic).toBe(greater.statistic);
        expect(less.pvalue).toBe(greater.pvalue);
      }),
    );
  });

  it('agrees with the asymptotic p-value for large samples (within a factor of 3, as SciPy checks)', () => {
    // SciPy's test_gh12999 compares exact and asymptotic p-values the same way.
    for (const [size, loc] of [
      [1000, 0.15],
      [2000, 0.1],
      [4000, 0.06],
    ] as const) {
      const a = normals(31 + size, size);
      const b = normals(32 + size, size + 10, loc);
      const exact = ks2samp(a, b, { method: 'exact' }).pvalue;
      const asymp = ks2samp(a, b, { method: 'asymp' }).pvalue;
      expect(exact).toBeLessThan(3 * asymp);
      expect(asymp).toBeLessThan(3 * exact);
    }
  });

  it('computes the exact p-value of 10,000 vs 9,999 values in well under a second', () => {
    const a = normals(41, 10000);
    const b = normals(42, 9999, 0.1);
    const start = performance.now();
    const result = ks2samp(a, b);
    expect(result.method).toBe('exact');
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('ks2samp input rules', () => {
  it.each([
    [[], [1], /reference must not be empty/],
    [[1], [], /current must not be empty/],
    [[1, Number.NaN], [1], /reference\[1\] must be a finite number/],
    [[1], [Infinity], /current\[0\] must be a finite number/],
    [[1], ['2'], /current\[0\] must be a finite number/],
  ])('rejects %j vs %j', (a, b, message) => {
    expect(() => ks2samp(a as number[], b as number[])).toThrow(RangeError);
    expect(() => ks2samp(a as number[], b as number[])).toThrow(message);
  });

  it('rejects unknown alternatives, methods and options', () => {
    expect(() => ks2samp([1], [2], { alternative: 'both' as 'less' })).toThrow(
      /options.alternative must be one of/,
    );
    expect(() => ks2samp([1], [2], { method: 'fast' as 'exact' })).toThrow(
      /options.method must be one of/,
    );
    expect(() => ks2samp([1], [2], { mode: 'exact' } as object)).toThrow(
      /options.mode is not an option/,
    );
  });
});

describe('ks2samp exact p-values against a brute-force path count', () => {
  /** P(D ≥ h/lcm) by counting, with BigInt, the lattice paths that never reach the event. */
  function bruteForce(m: number, n: number, d: number, twoSided: boolean): number {
    const g = (function gcd(a: number, b: number): number {
      return b === 0 ? a : gcd(b, a % b);
    })(m, n);
    const h = Math.round(d * (m / g) * n);
    let column: bigint[] = [];
    for (let i = 0; i <= m; i++) {
      const next: bigint[] = [];
      for (let j = 0; j <= n; j++) {
        const gap = i * n - j * m; // (F_a − F_b)·m·n at the path's point
        const reached = twoSided ? Math.abs(gap) >= h * g : gap >= h * g;
        if (reached) next.push(0n);
        else if (i === 0 && j === 0) next.push(1n);
        else
          next.push((i > 0 ? (column[j] as bigint) : 0n) + (j > 0 ? (next[j - 1] as bigint) : 0n));
      }
      column = next;
    }
    let total = 1n;
    for (let k = 1; k <= n; k++) total = (total * BigInt(m + k)) / BigInt(k);
    const inside = column[n] as bigint;
    // 40 decimal digits of the ratio are plenty for a double.
    const scale = 10n ** 40n;
    return Number(((total - inside) * scale) / total) / 1e40;
  }

  const sample = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 25 });
  it('agrees on every alternative, equal and unequal sizes, ties included', () => {
    fc.assert(
      fc.property(
        sample,
        sample,
        fc.constantFrom('two-sided' as const, 'greater' as const, 'less' as const),
        (a, b, alt) => {
          const result = ks2samp(a, b, { alternative: alt, method: 'exact' });
          if (result.method === 'asymp') {
            // SciPy's own rounding: see "falls back where SciPy's reflection series rounds".
            expect([alt, a.length, result.statistic]).toEqual([
              'two-sided',
              b.length,
              1 / a.length,
            ]);
            return;
          }
          const [m, n] = alt === 'less' ? [b.length, a.length] : [a.length, b.length];
          const expected = bruteForce(m, n, result.statistic, alt === 'two-sided');
          expectClose(result.pvalue, expected, 1e-12, 1e-15);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ks2samp where SciPy rounds', () => {
  it("falls back where SciPy's reflection series rounds above 1 (equal sizes, D = 1/n)", () => {
    // SciPy 1.10's _compute_prob_outside_square(7, 1) is 1.0000000000000002 (the same
    // operations in Python give it; so do n = 5, 13, 14, 15, 23, …), which fails its
    // 0 ≤ p ≤ 1 check: SciPy warns and answers kstwo.sf(1/7, round(3.5) = 4), by
    // Ruben-Gambino 1 − 4!/4⁴·(2·4/7 − 1)⁴.
    const result = ks2samp([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1]);
    expect(result.method).toBe('asymp');
    expectClose(result.pvalue, 1 - (24 / 256) * (1 / 7) ** 4, 1e-15);
    expect(ks2samp([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]).method).toBe('exact');
  });
});

describe('ks2samp with completely separated samples', () => {
  it('gives 2/C(m + n, n) two-sided (D = 1: two paths of all)', () => {
    expectPvalue(ks2samp([1, 2], [3, 4, 5]).pvalue, 2 / 10, 1e-15);
    const far = ks2samp(normals(43, 10000), normals(44, 9999, 100));
    expect(far).toMatchObject({ statistic: 1, pvalue: 0, method: 'exact' });
  });
});
