import { DeclogError } from '../../errors.js';

/** SQLSTATE classes and codes that mean the database went away, not that the request is bad. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
]);

/** Whether `error` says PostgreSQL could not be reached or dropped the connection. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code)) {
      return true;
    }
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** The error as callers should see it: an outage becomes `store_unavailable` (HTTP 503). */
export function asStoreUnavailable(error: unknown): unknown {
  if (!isStoreUnavailable(error)) return error;
  return new DeclogError(
    'store_unavailable',
    `the database is unavailable (${(error as Error).message}); retry`,
    [],
    { cause: error },
  );
}
