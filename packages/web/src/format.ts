/** How times, durations and numbers read in the dashboard: the reader's time zone, 24 h. */
const TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : TIME.format(ms);
}

export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  let rest = Math.abs(ms) / 1000;
  if (rest < 60) return `${sign}${Math.round(rest)} s`;
  rest /= 60;
  if (rest < 60) return `${sign}${Math.round(rest)} min`;
  rest /= 60;
  if (rest < 48) return `${sign}${rest.toFixed(1)} h`;
  return `${sign}${(rest / 24).toFixed(1)} days`;
}

export function formatNumber(value: unknown): string {
  if (typeof value !== 'number') return value === undefined || value === null ? '' : String(value);
  return Number.isInteger(value)
    ? value.toLocaleString()
    : value.toLocaleString(undefined, { maximumFractionDigits: 4 });
}

/** A `datetime-local` input's value (local time) as RFC 3339 in UTC; '' stays ''. */
export function localInputToIso(value: string): string {
  if (value === '') return '';
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

/** RFC 3339 as a `datetime-local` input's value, in local time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}
