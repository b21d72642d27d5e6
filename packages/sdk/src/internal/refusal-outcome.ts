import type { DecisionLogIssue } from '../decision-log-error.js';
import type { SendOutcome } from './transport.js';

/** Statuses that name events of the batch in `details[].index`: resend the others. */
const BATCH_FAULTS = new Set([400, 409, 413, 422]);

/**
 * What an error answer means for a batch, whoever gave it (a server, or the embedded log
 * answering as the server would): refused because of its events, or to be tried again.
 */
export function refusalOutcome(answer: {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly issues: readonly DecisionLogIssue[];
  /** Who answered, for the message: `the server`, `the database at ./declog.db`. */
  readonly from: string;
  readonly retryAfterMs?: number | undefined;
}): SendOutcome {
  const { status, code, message } = answer;
  if (BATCH_FAULTS.has(status) && code !== 'rate_limited') {
    return { kind: 'rejected', status, code, message, issues: answer.issues };
  }
  return {
    kind: 'retry',
    status,
    code,
    message: `${answer.from} answered ${status} ${code}: ${message}`,
    ...(answer.retryAfterMs !== undefined && { retryAfterMs: answer.retryAfterMs }),
  };
}
