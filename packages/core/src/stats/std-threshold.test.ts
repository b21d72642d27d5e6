import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.js';
import { stdThreshold } from './std-threshold.js';

describe('stdThreshold', () => {
  it("reproduces NannyML's StandardDeviationThreshold example (range(10), both multipliers 3)", () => {
    const result = stdThreshold([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { lower: 3 });
    expect(result.mean).toBe(4.5);
    expectClose(result.std, Math.sqrt(8.25), 1e-15);
    expectClose(result.lower, -4.116843969807043, 1e-15);
    expectClose(result.upper, 13.116843969807043, 1e-15);
  });

  it('defaults to an upper band only, and clamps the lower bound to lowerLimit', () => {
    expect(stdThreshold([1, 3])).toEqual({ mean: 2, std: 1, upper: 5, lower: null });
    expect(stdThreshold([1, 3], { upper: null, lower: 3, lowerLimit: 0 })).toEqual({
      mean: 2,
      std: 1,
      upper: null,
      lower: 0,
    });
    expect(stdThreshold([1, 3], { lower: 1, lowerLimit: 0 }).lower).toBe(1);
  });

  it('rejects bad input', () => {
    expect(() => stdThreshold([])).toThrow(/referenceValues must not be empty/);
    expect(() => stdThreshold([1], { upper: -1 })).toThrow(/options.upper must be at least 0/);
    expect(() => stdThreshold([1e308, -1e308, 1e308])).toThrow(/too large/);
  });
});
