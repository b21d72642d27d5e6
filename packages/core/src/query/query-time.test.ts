import { describe, expect, test } from 'vitest';
import { parseQueryTime, QUERY_TIME_FORMS } from './query-time.js';

describe('parseQueryTime', () => {
  test.each([
    ['2026-10-01', Date.UTC(2026, 9, 1)],
    ['2028-02-29', Date.UTC(2028, 1, 29)],
    ['0050-01-01', -60589296000000],
    ['2026-10-01T08:00:00Z', Date.UTC(2026, 9, 1, 8)],
    ['2026-10-01T08:00:00.250+02:00', Date.UTC(2026, 9, 1, 6, 0, 0, 250)],
  ])('reads %s', (text, ms) => {
    expect(parseQueryTime(text)).toEqual({ ok: true, ms });
  });

  test('reads a date as the start of that day in UTC', () => {
    expect(parseQueryTime('2026-10-01')).toEqual(parseQueryTime('2026-10-01T00:00:00Z'));
  });

  test.each([
    ['2026-02-29', 'the date 2026-02-29 does not exist: February 2026 has 28 days'],
    ['2026-02-29T00:00:00Z', 'the date 2026-02-29 does not exist: February 2026 has 28 days'],
    ['2026-11-31', 'the date 2026-11-31 does not exist: November 2026 has 30 days'],
    [
      '2026-10-01T25:00:00Z',
      '25:00:00 is not a time of day (hours 00-23, minutes and seconds 00-59)',
    ],
    ['2026-10-01T08:00:00', `must be ${QUERY_TIME_FORMS}`],
    ['2026-10', `must be ${QUERY_TIME_FORMS}`],
    ['1767225600000', `must be ${QUERY_TIME_FORMS}`],
    ['', `must be ${QUERY_TIME_FORMS}`],
  ])('refuses %j: %s', (text, message) => {
    expect(parseQueryTime(text)).toEqual({ ok: false, message });
  });
});
