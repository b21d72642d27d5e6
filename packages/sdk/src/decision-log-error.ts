/**
 * Every error code the SDK uses. Thrown at the call site: `invalid_event`, `event_too_large`,
 * `invalid_options`, `embedded_unavailable`, `closed`. Every other code only reaches `onError`:
 * transport and storage problems never throw into the caller.
 */
export const DECISION_LOG_ERROR_CODES = [
  'invalid_event',
  'event_too_large',
  'invalid_options',
  'embedded_unavailable',
  'closed',
  'delivery_failed',
  'dead_lettered',
  'dropped',
  'queue_full',
  'spool_full',
  'spool_unavailable',
  'spool_corrupt',
  'dead_letter_failed',
  'unsent_at_close',
  'db_unavailable',
] as const;

export type DecisionLogErrorCode = (typeof DECISION_LOG_ERROR_CODES)[number];

/** One problem with one field of an event, as the server words it. */
export interface DecisionLogIssue {
  /** The event's position in the request, for issues the server reported. */
  readonly index?: number;
  readonly path: string;
  readonly message: string;
}

export interface DecisionLogErrorFields {
  readonly issues?: readonly DecisionLogIssue[];
  /** The ids of the events the error is about (dropped, dead-lettered, unsent). */
  readonly eventIds?: readonly string[];
  /** The HTTP status the server answered, when it answered. */
  readonly status?: number;
  /** The server's error code (`invalid_event`, `store_unavailable`, …), when it answered. */
  readonly serverCode?: string;
  readonly cause?: unknown;
}

/** The SDK's one error class: a stable `code` (docs/sdk.md lists them) and structured fields. */
export class DecisionLogError extends Error {
  override readonly name = 'DecisionLogError';
  readonly code: DecisionLogErrorCode;
  readonly issues: readonly DecisionLogIssue[];
  readonly eventIds: readonly string[];
  readonly status: number | undefined;
  readonly serverCode: string | undefined;

  constructor(code: DecisionLogErrorCode, message: string, fields: DecisionLogErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = code;
    this.issues = fields.issues ?? [];
    this.eventIds = fields.eventIds ?? [];
    this.status = fields.status;
    this.serverCode = fields.serverCode;
  }
}

/** True for a DecisionLogError, optionally of one code. */
export function isDecisionLogError(
  value: unknown,
  code?: DecisionLogErrorCode,
): value is DecisionLogError {
  return value instanceof DecisionLogError && (code === undefined || value.code === code);
}
