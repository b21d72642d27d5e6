import type { PersonalCommitment, WithPersonal } from './personal-commitment.js';

/** Who erased a subject's personal data, and when: supplied by the server's erasure record. */
export interface SubjectErasure {
  /** RFC 3339 time the subject key was destroyed. */
  readonly erased_at: string;
  /** The authenticated principal that asked for the erasure. */
  readonly erased_by: string;
}

/** The `personal` member as readers see it once the subject key is destroyed. */
export type ErasedPersonal = PersonalCommitment & { readonly erased: true } & SubjectErasure;

/**
 * The read model of an event whose subject was erased: the event as the leaf holds it
 * (personal fields absent, required strings holding the placeholder), its `personal` member
 * extended with `erased: true`, `erased_at` and `erased_by`. Dropping those three members
 * gives back the leaf's members, so a reader can still check the event against its proof.
 * An event without a `personal` member had nothing to erase and is returned as it is.
 *
 * @example erasedView(stored, { erased_at: '2026-12-01T09:00:00Z', erased_by: 'dpo@example' })
 */
export function erasedView<E extends WithPersonal & { readonly id: string }>(
  event: E,
  erasure: SubjectErasure,
): E | (Omit<E, 'personal'> & { readonly personal: ErasedPersonal }) {
  if (event.personal === undefined) return event;
  const { fields, commitment } = event.personal;
  return {
    ...event,
    personal: {
      fields,
      commitment,
      erased: true,
      erased_at: erasure.erased_at,
      erased_by: erasure.erased_by,
    },
  };
}
