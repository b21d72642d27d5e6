import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { daysInMonth, timestampProblem, TIMESTAMP_FORMAT } from './timestamp-problem.js';

describe('timestampProblem', () => {
  test.each([
    ['2026-02-29T10:00:00Z', 'the date 2026-02-29 does not exist: February 2026 has 28 days'],
    ['2100-02-29T10:00:00Z', 'the date 2100-02-29 does not exist: February 2100 has 28 days'],
    ['2026-04-31T10:00:00+02:00', 'the date 2026-04-31 does not exist: April 2026 has 30 days'],
    ['2026-13-01T10:00:00Z', 'the date 2026-13-01 does not exist: there is no month 13'],
    ['2026-00-10T10:00:00Z', 'the date 2026-00-10 does not exist: there is no month 0'],
    ['2026-01-00T10:00:00Z', 'the date 2026-01-00 does not exist: January 2026 has 31 days'],
    [
      '2026-01-01T24:00:00Z',
      '24:00:00 is not a time of day (hours 00-23, minutes and seconds 00-59)',
    ],
    [
      '2026-01-01T23:59:60Z',
      '23:59:60 is not a time of day (hours 00-23, minutes and seconds 00-59)',
    ],
    ['2026-01-01T10:00:00+24:00', 'the offset +24:00 does not exist (hours 00-23, minutes 00-59)'],
    ['2026-01-01T10:00:00', TIMESTAMP_FORMAT],
    ['2026-01-01', TIMESTAMP_FORMAT],
    ['2026-01-01 10:00:00Z', TIMESTAMP_FORMAT],
    ['yesterday', TIMESTAMP_FORMAT],
  ])('%s: %s', (text, problem) => {
    expect(timestampProblem(text)).toBe(problem);
  });

  test('names no problem of its own for what the contract accepts', () => {
    // Only what the contract refuses is ever asked about; these are all accepted, and a
    // precise message for them would be a wrong one.
    const contract = z.iso.datetime({ offset: true });
    for (const text of ['2028-02-29T00:00:00Z', '2000-02-29T23:59:59.999-00:00']) {
      expect(contract.safeParse(text).success).toBe(true);
      expect(timestampProblem(text)).toBe(TIMESTAMP_FORMAT);
    }
  });

  test('counts the days of every month, leap years by the Gregorian rule', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect([2024, 2000, 1900, 2100, 2028].map((y) => daysInMonth(y, 2))).toEqual([
      29, 29, 28, 28, 29,
    ]);
  });
});
