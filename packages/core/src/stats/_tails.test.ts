import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialUpperTail, chiSquareSurvival, poissonUpperTail } from './_tails.js';
import { expectClose } from './fixtures/close.js';

// Reference values from mpmath 1.3 at 50 significant digits (`mp.ncdf`, `mp.gammainc(...,
// regularized=True)`, `mp.betainc(..., regularized=True)`), and for binomial tails with n in
// the thousands or more an exact sum of the probability mass function in mpmath, on the
// same doubles as the arguments below.

describe('chiSquareSurvival (scipy.stats.chi2.sf)', () => {
  it.each([
    [2.7777777777777777, 2, 0.24935220877729622],
    [0.5, 1, 0.4795001221869535],
    [3.841458820694124, 1, 0.05000000000000006],
    [10, 3, 0.018566135463043233],
    [100, 50, 0.00003454931382984864],
    [30, 80, 0.9999999351095112],
    [500, 300, 3.3592224575795494e-12],
    [0.001, 4, 0.9999998750416589],
    [2000, 1500, 5.809910989761993e-17],
    [250, 10, 5.427833960969281e-48],
  ])('P(χ²(%d) ≥ %d)', (x, dof, expected) => {
    expectClose(chiSquareSurvival(x, dof), expected, 1e-12, 0);
  });
});

describe('poissonUpperTail (scipy.stats.poisson.sf(k − 1, μ))', () => {
  it.each([
    [1, 0.5, 0.3934693402873666],
    [3, 2.5, 0.45618688411667047],
    [15, 5, 0.00022625367617675553],
    [0, 3, 1],
    [10, 20, 0.9950045876916924],
    [1000, 900, 0.0005499022657117829],
    [1003000, 1000000, 0.0013580352726831283],
    [998000, 1000000, 0.9773038500103338],
    [200, 50, 2.0247590148473565e-57],
  ])('P(X ≥ %d | μ = %d)', (k, mu, expected) => {
    expectClose(poissonUpperTail(k, mu), expected, 1e-10, 0);
  });
});

describe('binomialUpperTail (scipy.stats.binom.sf(k − 1, n, p))', () => {
  it.each([
    [1, 10, 0.1, 0.6513215599000001],
    [5, 10, 0.3, 0.15026833259999997],
    [15, 100, 0.05, 0.00013585423899229113],
    [3, 1000, 0.001, 0.08020934284020105],
    [60, 1000, 0.05, 0.08673217838486103],
    [40, 1000, 0.05, 0.9401851209480967],
    [51000, 1000000, 0.05, 0.0000024113966830813773],
    [49000, 1000000, 0.05, 0.9999979331659384],
    [10, 10, 0.9, 0.3486784401000001],
    [990, 1000, 0.98, 0.010236548159763346],
    [7, 50, 0.02, 0.000060126681785518334],
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

describe('binomialUpperTail properties', () => {
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
