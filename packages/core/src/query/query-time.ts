import { z } from 'zod';
import { dateProblem, timestampProblem } from '../contract/timestamp-problem.js';

export type QueryTime =
  { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

/** What a `from` or `to` parameter takes, for messages and parameter descriptions. */
export const QUERY_TIME_FORMS =
  'an RFC 3339 timestamp with an offset (2026-10-01T08:00:00Z) or a date (2026-10-01: the start of that day in UTC)';

const Timestamp = z.iso.datetime({ offset: true });
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A time bound of a query (`from`, `to`) in milliseconds since the epoch: an RFC 3339
 * timestamp with an offset, or a date alone, which is the start of that day in UTC. A date
 * that does not exist is named as such (`the date 2026-02-29 does not exist: …`).
 *
 * @example parseQueryTime('2026-10-01') // { ok: true, ms: Date.UTC(2026, 9, 1) }
 */
export function parseQueryTime(text: string): QueryTime {
  if (DATE.test(text)) {
    const problem = dateProblem(text);
    if (problem !== null) return { ok: false, message: problem };
    const [year, month, day] = text.split('-').map(Number) as [number, number, number];
    // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
    return { ok: true, ms: new Date(0).setUTCFullYear(year, month - 1, day) };
  }
  if (Timestamp.safeParse(text).success) return { ok: true, ms: Date.parse(text) };
  const problem = timestampProblem(text);
  return {
    ok: false,
    message: problem.startsWith('must be') ? `must be ${QUERY_TIME_FORMS}` : problem,
  };
}
