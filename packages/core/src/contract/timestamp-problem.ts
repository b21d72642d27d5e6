/** What the contract says of a timestamp that is not one, when nothing more precise applies. */
export const TIMESTAMP_FORMAT = 'must be an RFC 3339 timestamp with an offset';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Days in `month` (1-12) of `year`, by the proleptic Gregorian calendar RFC 3339 uses. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Why the calendar date `YYYY-MM-DD` (digits already checked) does not exist, or null when it
 * does: `the date 2026-02-29 does not exist: February 2026 has 28 days`.
 */
export function dateProblem(date: string): string | null {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `the date ${date} does not exist: there is no month ${month}`;
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return `the date ${date} does not exist: ${MONTHS[month - 1] ?? ''} ${year} has ${days} days`;
  }
  return null;
}

/** The shape of an RFC 3339 timestamp as the contract writes it, its fields unchecked. */
const SHAPE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Why `text`, which the contract refused as a timestamp, is not one: a date that does not
 * exist or a time of day out of range is named as such (`the date 2026-02-29 does not exist:
 * February 2026 has 28 days`); anything else is a format error ({@link TIMESTAMP_FORMAT}).
 */
export function timestampProblem(text: string): string {
  const match = SHAPE.exec(text);
  if (!match) return TIMESTAMP_FORMAT;
  const [, date = '', hours = '', minutes = '', seconds = '', sign, offsetHours, offsetMinutes] =
    match;
  const missingDate = dateProblem(date);
  if (missingDate !== null) return missingDate;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    return `${hours}:${minutes}:${seconds} is not a time of day (hours 00-23, minutes and seconds 00-59)`;
  }
  if (sign !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) {
    return `the offset ${sign}${offsetHours}:${offsetMinutes} does not exist (hours 00-23, minutes 00-59)`;
  }
  return TIMESTAMP_FORMAT;
}
