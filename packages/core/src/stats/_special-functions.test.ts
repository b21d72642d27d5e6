import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gammaP, gammaQ } from './_incomplete-gamma.js';
import { betaIncomplete } from './_incomplete-beta.js';
import { normalCdf } from './_normal.js';
import { smirnovSurvival } from './_smirnov.js';
import { binomialUpperTail, chiSquareSurvival, poissonUpperTail } from './_tails.js';
import { expectClose } from './fixtures/close.js';

// Reference values from mpmath 1.3 at 50 significant digits (`mp.ncdf`, `mp.gammainc(...,
// regularized=True)`, `mp.betainc(..., regularized=True)`), and for binomial tails with n in
// the thousands or more an exact sum of the probability mass function in mpmath, on the
// same doubles as the arguments below.

describe('normalCdf (Cephes ndtr, as scipy.stats.norm.cdf)', () => {
  it.each([
    [-40, 0], // 3.66e-350 underflows
    [-10, 7.6198530241605261e-24],
    [-5, 2.8665157187919391e-7],
    [-1.5, 0.066807201268858066],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [0.3, 0.61791142218895263],
    [1, 0.84134474606854295],
    [2.5, 0.99379033467422386],
    [5, 0.99999971334842812],
    [8, 0.99999999999999938],
    [9, 1],
  ])('Φ(%d)', (x, expected) => {
    expectClose(normalCdf(x), expected, 1e-14, 0);
  });
});

describe('chiSquareSurvival (scipy.stats.chi2.sf)', () => {
  it.each([
    [2.7777777777777777, 2, 0.24935220877729621],
    [0.5, 1, 0.47950012218695346],
    [3.841458820694124, 1, 0.050000000000000057],
    [10, 3, 0.018566135463043233],
    [100, 50, 3.4549313829848639e-5],
    [30, 80, 0.99999993510951125],
    [500, 300, 3.3592224575795494e-12],
    [0.001, 4, 0.99999987504165886],
    [2000, 1500, 5.8099109897619927e-17],
    [250, 10, 5.4278339609692812e-48],
  ])('P(χ²(%d) ≥ %d)', (x, dof, expected) => {
    expectClose(chiSquareSurvival(x, dof), expected, 1e-12, 0);
  });
});

describe('poissonUpperTail (scipy.stats.poisson.sf(k − 1, μ))', () => {
  it.each([
    [1, 0.5, 0.39346934028736658],
    [3, 2.5, 0.45618688411667048],
    [15, 5, 0.00022625367617675553],
    [0, 3, 1],
    [10, 20, 0.99500458769169241],
    [1000, 900, 0.00054990226571178292],
    [1003000, 1000000, 0.0013580352726831283],
    [998000, 1000000, 0.97730385001033379],
    [200, 50, 2.0247590148473564e-57],
  ])('P(X ≥ %d | μ = %d)', (k, mu, expected) => {
    expectClose(poissonUpperTail(k, mu), expected, 1e-10, 0);
  });
});

describe('binomialUpperTail (scipy.stats.binom.sf(k − 1, n, p))', () => {
  it.each([
    [1, 10, 0.1, 0.65132155990000002],
    [5, 10, 0.3, 0.15026833259999998],
    [15, 100, 0.05, 0.00013585423899229113],
    [3, 1000, 0.001, 0.080209342840201057],
    [60, 1000, 0.05, 0.086732178384861022],
    [40, 1000, 0.05, 0.94018512094809672],
    [51000, 1000000, 0.05, 2.4113966830813772e-6],
    [49000, 1000000, 0.05, 0.99999793316593845],
    [10, 10, 0.9, 0.34867844010000009],
    [990, 1000, 0.98, 0.010236548159763347],
    [7, 50, 0.02, 6.0126681785518334e-5],
  ])('P(X ≥ %d | n = %d, p = %d)', (k, n, p, expected) => {
    expectClose(binomialUpperTail(k, n, p), expected, 1e-10, 0);
  });

  it('is 1 for k = 0 and 0 above n, and handles p of 0 and 1', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
  });
});

describe('smirnovSurvival (scipy.special.smirnov)', () => {
  // mpmath: the Birnbaum-Tingey sum at 60 digits.
  it.each([
    [1500, 0.11292880151060758, 2.026195124277601299e-17],
    [200, 0.2, 8.6589373086541671775e-8],
    [1000, 0.05, 0.0065060373905451658052],
    [100000, 0.013855, 2.0979313199681926819e-17],
    [85714, 0.00565, 0.0041851963303952864734],
  ])('P(D⁺(%d) ≥ %d)', (n, x, expected) => {
    expectClose(smirnovSurvival(n, x), expected, 1e-10, 0);
  });

  it('has the closed forms at the ends', () => {
    expect(smirnovSurvival(1, 0.3)).toBeCloseTo(0.7, 15);
    expectClose(smirnovSurvival(10, 0.95), 0.05 ** 10, 1e-13, 0); // x ≥ 1 − 1/n: (1 − x)^n
    expectClose(smirnovSurvival(10, 0.05), 1 - 0.05 * 1.05 ** 9, 1e-14, 0); // x ≤ 1/n
  });
});

describe('incomplete gamma and beta identities', () => {
  const positive = fc.double({ min: 0.01, max: 5000, noNaN: true });
  it('P(a, x) + Q(a, x) = 1', () => {
    fc.assert(
      fc.property(positive, positive, (a, x) => {
        expect(Math.abs(gammaP(a, x) + gammaQ(a, x) - 1)).toBeLessThan(1e-12);
      }),
    );
  });

  it('I_x(a, b) = 1 − I_{1−x}(b, a) and lies in [0, 1]', () => {
    // x on a grid of 2^-20, so that 1 − x is exact.
    const grid = fc.integer({ min: 0, max: 2 ** 20 }).map((k) => k / 2 ** 20);
    fc.assert(
      fc.property(positive, positive, grid, (a, b, x) => {
        const value = betaIncomplete(a, b, x);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(Math.abs(value - betaIncomplete(b, a, 1 - x, true))).toBeLessThan(1e-12);
      }),
    );
  });

  it('binomial tails fall as k grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p) => {
          let previous = 1;
          for (let k = 0; k <= n + 1; k += Math.max(1, Math.floor(n / 50))) {
            const tail = binomialUpperTail(k, n, p);
            expect(tail).toBeLessThanOrEqual(previous + 1e-15);
            previous = tail;
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
