import { DecisionLogError } from '../decision-log-error.js';
import type { EventRecord } from './event-record.js';
import type { DeadLetter } from './spool.js';
import type { SendOutcome } from './transport.js';

/**
 * The dead letters of the events at `refused` positions of `batch`: each with the server's
 * issues for it (those naming its index, or naming none) and its status and code.
 */
export function deadLetters(
  batch: readonly EventRecord[],
  refused: readonly number[],
  outcome: Extract<SendOutcome, { kind: 'rejected' }>,
): DeadLetter[] {
  return refused.flatMap((index) => {
    const record = batch[index];
    if (record === undefined) return [];
    const issues = outcome.issues.filter((i) => i.index === index || i.index === undefined);
    const reasons = issues.map((i) => `${i.path === '' ? '(event)' : i.path} ${i.message}`);
    const error = new DecisionLogError(
      'dead_lettered',
      `the server refused event ${record.id} (${outcome.status} ${outcome.code}): ${
        reasons.join('; ') || outcome.message
      }`,
      { status: outcome.status, serverCode: outcome.code, issues, eventIds: [record.id] },
    );
    return [{ record, error }];
  });
}
