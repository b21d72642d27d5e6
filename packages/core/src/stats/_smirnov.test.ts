import { describe, expect, it } from 'vitest';
import { smirnovSurvival } from './_smirnov.js';
import { expectClose } from './fixtures/close.js';

// Reference values from mpmath 1.3 at 50 significant digits (`mp.ncdf`, `mp.gammainc(...,
// regularized=True)`, `mp.betainc(..., regularized=True)`), and for binomial tails with n in
// the thousands or more an exact sum of the probability mass function in mpmath, on the
// same doubles as the arguments below.

describe('smirnovSurvival (scipy.special.smirnov)', () => {
  // mpmath: the Birnbaum-Tingey sum at 60 digits.
  it.each([
    [1500, 0.11292880151060758, 2.0261951242776014e-17],
    [200, 0.2, 8.658937308654167e-8],
    [1000, 0.05, 0.006506037390545166],
    [100000, 0.013855, 2.0979313199681925e-17],
    [85714, 0.00565, 0.004185196330395286],
  ])('P(D⁺(%d) ≥ %d)', (n, x, expected) => {
    expectClose(smirnovSurvival(n, x), expected, 1e-10, 0);
  });

  it('has the closed forms at the ends', () => {
    expect(smirnovSurvival(1, 0.3)).toBeCloseTo(0.7, 15);
    expectClose(smirnovSurvival(10, 0.95), 0.05 ** 10, 1e-13, 0); // x ≥ 1 − 1/n: (1 − x)^n
    expectClose(smirnovSurvival(10, 0.05), 1 - 0.05 * 1.05 ** 9, 1e-14, 0); // x ≤ 1/n
  });
});
