import type { EventType } from '../contract/event-schema.js';
import type { Failure } from '../ledger/failure.js';
import { restoreValues } from './_restore-values.js';
import { openPersonalData, type OpenFailureCode } from './open-personal-data.js';
import type { PersonalCommitment, WithPersonal } from './personal-commitment.js';

/** The `personal` member as readers see it while the subject key exists. */
export type OpenedPersonal = PersonalCommitment & { readonly sealed: true };

/** An event as readers see it while its subject key exists. */
export type OpenedView<E> = Omit<E, 'personal'> & { readonly personal: OpenedPersonal };

/**
 * The read model of a sealed event whose subject key is at hand: its sealed record opened
 * and checked against the leaf (see openPersonalData), the values put back in place (see
 * restorePersonalData) and `personal` extended with `sealed: true`. The counterpart of
 * erasedView, for every read while the key exists.
 *
 * @example openedView(stored, JSON.parse(record.sealed), subjectKey) // { ok: true, view }
 * @example openedView(stored, packedRecord, subjectKey) // the same, from the packed bytes
 * @throws RangeError as openPersonalData and restorePersonalData do.
 */
export function openedView<
  E extends WithPersonal & { readonly id: string; readonly type: EventType },
>(
  event: E,
  sealed: unknown,
  subjectKey: Uint8Array,
): { readonly ok: true; readonly view: OpenedView<E> } | Failure<OpenFailureCode> {
  const opened = openPersonalData(event, sealed, subjectKey);
  if (!opened.ok) return opened;
  // The values were parsed from the plaintext just now and nothing else holds them: they go
  // into the view as they are, without the copy restorePersonalData makes.
  const restored = restoreValues(event, opened.values, (value) => value);
  // Present and valid, or openPersonalData would have said `not-sealed`.
  const personal = event.personal as PersonalCommitment;
  return { ok: true, view: { ...restored, personal: { ...personal, sealed: true } } };
}
