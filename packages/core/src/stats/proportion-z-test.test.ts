import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.js';
import { proportionZTest } from './proportion-z-test.js';

describe('proportionZTest', () => {
  it('computes the pooled z from reference minus current (by hand)', () => {
    // p1 = 1/2, p2 = 1/4, P = 3/8: z = 0.25 / √(3/8 · 5/8 · (1/4 + 1/4)) = 0.7302967433402214.
    const result = proportionZTest([1, 1, 0, 0], [1, 0, 0, 0]);
    expectClose(result.z, 0.25 / Math.sqrt((15 / 64) * 0.5), 1e-15);
    // 2·(1 − Φ(0.7302967433402214)), mpmath.
    expectClose(result.pvalue, 0.4652088184521417, 1e-12);
    expect(proportionZTest([1, 0, 0, 0], [1, 1, 0, 0]).z).toBeCloseTo(-result.z, 15);
  });

  it('accepts booleans, and answers p = 1 when both samples hold one same value', () => {
    expect(proportionZTest([true, false], [1, 0])).toEqual({ z: 0, pvalue: 1 });
    expect(proportionZTest([1, 1], [1, 1, 1])).toEqual({ z: 0, pvalue: 1 });
    expect(proportionZTest([0], [0, 0])).toEqual({ z: 0, pvalue: 1 });
    // All 1s against all 0s is the largest possible z, not a special case.
    expect(proportionZTest([1, 1, 1], [0, 0, 0]).z).toBeCloseTo(Math.sqrt(6), 12);
  });

  it('is antisymmetric in its samples and keeps p in [0, 1]', () => {
    const sample = fc.array(fc.constantFrom(0 as const, 1 as const), {
      minLength: 1,
      maxLength: 60,
    });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = proportionZTest(a, b);
        const ba = proportionZTest(b, a);
        expect(ba.z).toBeCloseTo(-ab.z, 12);
        expect(ba.pvalue).toBe(ab.pvalue);
        expect(ab.pvalue).toBeGreaterThanOrEqual(0);
        expect(ab.pvalue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects bad input', () => {
    expect(() => proportionZTest([], [1])).toThrow(/reference must not be empty/);
    expect(() => proportionZTest([1], [2 as 1])).toThrow(
      /current\[0\] must be 0, 1, true or false/,
    );
  });
});
