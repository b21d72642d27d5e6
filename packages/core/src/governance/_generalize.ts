import type { DatePrecision } from './masking-policy.js';

// A calendar date, optionally with a time: what ISO 8601 and RFC 3339 producers write.
const DATE =
  /^\d{4}(?:-\d{2}(?:-\d{2}(?:[Tt ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?)?)?$/;
const LENGTH: Readonly<Record<DatePrecision, number>> = { year: 4, month: 7, day: 10, hour: 13 };

/**
 * Cuts a date or timestamp text to `precision` as written, in the producer's own offset (the
 * offset itself is dropped): `1990-05-17` → `1990-05`, `2026-11-27T10:05:00+01:00` → `2026-11-27T10`
 * for `hour`. A text that is not a date gives undefined; one already coarser is kept as it is.
 */
export function cutDate(text: string, precision: DatePrecision): string | undefined {
  if (!DATE.test(text)) return undefined;
  if (text.length <= LENGTH[precision]) return text;
  return text.slice(0, LENGTH[precision]).replace(/[t ]/, 'T');
}

/**
 * Floors `value` to a multiple of `step` (`52_345` by `1000` → `52_000`), exact for decimal
 * steps such as `0.1`: the result is the largest multiple, written to the step's decimals,
 * that is not above `value`.
 */
export function floorToStep(value: number, step: number): number {
  const quotient = value / step;
  // Beyond 2^53 steps a double cannot be finer than the step: it is already a multiple.
  if (!Number.isFinite(quotient) || Math.abs(quotient) >= 2 ** 53) return value;
  const decimals = decimalsOf(step);
  const at = (q: number) => Number((q * step).toFixed(decimals));
  let q = Math.floor(quotient);
  while (at(q) > value) q -= 1;
  while (at(q + 1) <= value) q += 1;
  return at(q) + 0; // + 0 turns -0 into 0
}

function decimalsOf(step: number): number {
  const [mantissa = '', exponent = '0'] = String(step).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.min(100, Math.max(0, fraction - Number(exponent)));
}
