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
  // Member names are plain identifiers, so a member sorts as its name does. An event always
  // has an `id` (before "recorded_at") and a `type` (after "seq").
  let i = 0;
  while (i < members.length && (members[i] as string) < '"recorded_at"') i += 1;
  const head = members.slice(0, i).join(',');
  let middle = '';
  for (; i < members.length && (members[i] as string) < '"seq"'; i += 1) {
    middle += `,${members[i] as string}`;
  }
  let tail = '';
  for (; i < members.length; i += 1) tail += `,${members[i] as string}`;
  return {
    ...fields,
    head,
    middle,
    tail,
    storedHead: compactPiece(head),
    storedMiddle: middle === '' ? '' : compactPiece(middle),
    storedTail: compactPiece(`${tail}}`),
    // The members, the commas between them and the braces: the canonical JSON's byte length.
    bytes:
      bytes ?? Buffer.byteLength(head) + Buffer.byteLength(middle) + Buffer.byteLength(tail) + 2,
    decision,
  };
}
