import { Buffer } from 'node:buffer';
import { compactPiece } from '../store/compact-event-text.js';
import type { DecisionFacts, PreparedEvent } from './prepared-event.js';

/** The fields of a prepared event that its members do not give. */
export type PreparedFields = Pick<
  PreparedEvent,
  'id' | 'type' | 'decisionId' | 'kind' | 'occurredMs'
>;

/**
 * A prepared event from its canonical members (in canonical order): the text split where
 * sequencing adds `recorded_at` and `seq`, in both the canonical and the stored form.
 */
export function fromMembers(
  fields: PreparedFields,
  members: readonly string[],
  decision: DecisionFacts | null,
  /** The size the event is measured by, when not that of these members (see EncodedEvent). */
  bytes?: number,
): PreparedEvent {
  // Member names are plain identifiers, so a member sorts as its name does: those before
  // "recorded_at" go first. An event always has an `id` (before) and a `type` (after).
  let split = 0;
  while (split < members.length && (members[split] as string) < '"recorded_at"') split += 1;
  const head = members.slice(0, split).join(',');
  let tail = '';
  for (let i = split; i < members.length; i += 1) tail += `,${members[i] as string}`;
  return {
    ...fields,
    head,
    tail,
    storedHead: compactPiece(head),
    storedTail: compactPiece(`${tail}}`),
    // The members, the commas between them and the braces: the canonical JSON's byte length.
    bytes: bytes ?? Buffer.byteLength(head) + Buffer.byteLength(tail) + 2,
    decision,
  };
}
