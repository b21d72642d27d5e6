import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cutDate, floorToStep } from './_generalize.js';

describe('cutDate', () => {
  test.each([
    ['1990-05-17', 'month', '1990-05'],
    ['1990-05-17', 'year', '1990'],
    ['1990-05-17', 'hour', '1990-05-17'],
    ['1990-05', 'day', '1990-05'],
    ['2026-11-27T10:05:00.123+01:00', 'hour', '2026-11-27T10'],
    ['2026-11-27T10:05:00Z', 'day', '2026-11-27'],
    ['2026-11-27 10:05', 'hour', '2026-11-27T10'],
  ] as const)('%s to %s is %s', (text, precision, cut) => {
    expect(cutDate(text, precision)).toBe(cut);
  });

  test.each(['17/05/1990', 'May 1990', '1990-5-17', '', 'applicant-1990-05-17'])(
    '%j is not a date',
    (text) => {
      expect(cutDate(text, 'month')).toBeUndefined();
    },
  );
});

describe('floorToStep', () => {
  test.each([
    [52_345, 1000, 52_000],
    [0.87, 0.1, 0.8],
    [0.3, 0.1, 0.3],
    [-1.5, 1, -2],
    [-0.2, 1, -1],
    [0, 0.25, 0],
    [1e300, 1e-10, 1e300],
  ])('%d by %d is %d', (value, step, floored) => {
    expect(floorToStep(value, step)).toBe(floored);
  });

  test('gives a multiple of the step, not above the value and less than a step below (property)', () => {
    const steps = fc.constantFrom(0.01, 0.1, 0.25, 1, 5, 1000, 1e-6);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), steps, (value, step) => {
        const floored = floorToStep(value, step);
        expect(floored).toBeLessThanOrEqual(value);
        expect(value - floored).toBeLessThan(step * (1 + 1e-9) + Math.abs(value) * 1e-15);
        expect(Math.abs(floored / step - Math.round(floored / step))).toBeLessThan(1e-3);
        expect(Object.is(floored, -0)).toBe(false);
      }),
    );
  });
});
