import type { ValidationIssue } from '@declog/core';

/** One bad field of one event in a request: `index` is the event's position, from 0. */
export interface ErrorDetail extends ValidationIssue {
  readonly index?: number;
}

/**
 * Stable error codes. A code is never reused for another meaning once shipped; docs/errors.md
 * lists each one (a test keeps the two in step) and http/error-status.ts maps each to a status.
 */
export const ERROR_CODES = [
  'invalid_json',
  'invalid_body',
  'invalid_event',
  'invalid_query',
  'invalid_parameter',
  'unsupported_media_type',
  'payload_too_large',
  'too_many_events',
  'event_too_large',
  'id_conflict',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'store_unavailable',
  'checkpoint_pending',
  'internal_error',
  'unauthorized',
  'forbidden',
  'tenant_not_found',
  'key_not_found',
  'rate_limited',
  'legal_hold',
  'hold_not_found',
  'pruned',
  'malformed_request',
  'headers_too_large',
  'request_timeout',
  'store_inconsistent',
  'subject_not_found',
  'key_name_taken',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure with a stable code; the edge (HTTP, CLI) decides how to show it. */
export class DeclogError extends Error {
  override readonly name = 'DeclogError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isDeclogError(value: unknown): value is DeclogError {
  return value instanceof DeclogError;
}
