import { DeclogError } from '../../errors.js';

/**
 * SQLSTATE classes and codes that mean the database went away, not that the request is bad.
 * 40001 is also what a hot standby cancels a read with when replaying WAL conflicts with it
 * (declog's own transactions are read committed, so it means nothing else here): a retry
 * succeeds.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001']);
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
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
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
