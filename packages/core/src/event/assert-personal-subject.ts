import type { PreparedEvent } from './prepared-event.js';

/**
 * Checks that an event's sealed personal values (if any) are a decision's, under the subject
 * the decision names: stores find a subject's records through its decisions.
 *
 * @throws Error when they are not (a caller's mistake, never the producer's).
 */
export function assertPersonalSubject(prepared: PreparedEvent): void {
  if (prepared.personal === undefined) return;
  const subject = prepared.decision?.subject ?? null;
  if (prepared.personal.subject !== subject) {
    const holder = subject === null ? 'an event without one' : subject;
    throw new Error(
      `event ${prepared.id}: sealed personal values belong to a decision naming their ` +
        `subject (${prepared.personal.subject}), not to ${holder}`,
    );
  }
}
