import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gammaP, gammaQ } from './_incomplete-gamma.js';

// Values of P and Q are checked through the chi-square and Poisson tails in _tails.test.ts.
describe('gammaP and gammaQ', () => {
  const positive = fc.double({ min: 0.01, max: 5000, noNaN: true });
  it('P(a, x) + Q(a, x) = 1', () => {
    fc.assert(
      fc.property(positive, positive, (a, x) => {
        expect(Math.abs(gammaP(a, x) + gammaQ(a, x) - 1)).toBeLessThan(1e-12);
      }),
    );
  });
});
