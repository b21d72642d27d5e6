import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaIncomplete } from './_incomplete-beta.js';

describe('betaIncomplete identities', () => {
  const positive = fc.double({ min: 0.01, max: 5000, noNaN: true });
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
});
