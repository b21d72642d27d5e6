import type { Event } from '../contract/event-schema.js';
import { timestampMillis } from '../contract/timestamp.js';
import type { IdentifiedDecision } from '../privacy/seal-decision-members.js';
import { PERSONAL_PLACEHOLDER } from '../privacy/personal-fields.js';
import { decisionFieldMask, labelText } from './decision-fields.js';
import { encodeMembers } from './encode-members.js';
import { fromMembers } from './from-members.js';
import type { DecisionFacts, PreparedEvent, SealedPersonal } from './prepared-event.js';

/**
 * Seals a decision's personal values (see sealDecisionMembers): the members its leaf holds
 * instead, with the sealed record to keep beside it (none when the subject is erased), or null
 * when the decision holds nothing to seal.
 */
export type SealDecision = (
  decision: IdentifiedDecision,
  members: readonly string[],
) => {
  readonly members: string[];
  readonly personal?: SealedPersonal;
  /** Whether the summary was sealed: the index then holds the placeholder the leaf holds. */
  readonly summarySealed: boolean;
} | null;

/** A valid event with its id settled and its canonical members, before sealing. */
export interface EncodedEvent {
  readonly event: Event & { readonly id: string };
  readonly members: string[];
  /** Size of its canonical JSON in bytes (as submitted, before sealing): the per-event limit. */
  readonly bytes: number;
}

/**
 * Settles a valid event's id (keeping the producer's, or taking `newId()`) and encodes it as
 * canonical JSON members.
 *
 * Any nesting depth: canonicalJson keeps an explicit stack.
 *
 * @throws TypeError when a free-form value has no canonical JSON form (a lone surrogate, say).
 */
export function encodeEvent(event: Event, newId: () => string): EncodedEvent {
  const withId =
    event.id === undefined ? { ...event, id: newId() } : (event as Event & { id: string });
  const members = encodeMembers(withId);
  let bytes = 1;
  for (const member of members) bytes += Buffer.byteLength(member) + 1;
  return { event: withId, members, bytes };
}

/**
 * A prepared event from an encoded one: a decision's personal values sealed when `seal` is
 * given, the text split where sequencing adds its members, and the columns stores index.
 */
export function prepareEncoded(encoded: EncodedEvent, seal?: SealDecision): PreparedEvent {
  const { event, bytes } = encoded;
  let members = encoded.members;
  const id = event.id;
  const occurredMs = timestampMillis(event.occurred_at);
  switch (event.type) {
    case 'decision': {
      const sealed = seal?.(event, members) ?? null;
      if (sealed !== null) members = sealed.members;
      const fields = { id, type: 'decision', decisionId: null, kind: null, occurredMs } as const;
      const facts = decisionFacts(event);
      const indexed = sealed?.summarySealed ? { ...facts, summary: PERSONAL_PLACEHOLDER } : facts;
      const prepared = fromMembers(fields, members, indexed, bytes);
      if (sealed === null) return prepared;
      return sealed.personal
        ? { ...prepared, personal: sealed.personal }
        : { ...prepared, erasedSubject: true };
    }
    case 'action':
      return fromMembers(
        { id, type: 'action', decisionId: event.decision_id, kind: event.action.kind, occurredMs },
        members,
        null,
        bytes,
      );
    case 'outcome': {
      const prepared = fromMembers(
        {
          id,
          type: 'outcome',
          decisionId: event.decision_id,
          kind: event.outcome.status,
          occurredMs,
        },
        members,
        null,
        bytes,
      );
      const { label } = event.outcome;
      return label === undefined ? prepared : { ...prepared, outcomeLabel: labelText(label) };
    }
    case 'annotation':
      return fromMembers(
        { id, type: 'annotation', decisionId: event.decision_id, kind: null, occurredMs },
        members,
        null,
        bytes,
      );
  }
}

/**
 * encodeEvent and prepareEncoded in one: a valid event prepared for storage.
 *
 * @throws TypeError as encodeEvent.
 */
export function prepareEvent(
  event: Event,
  newId: () => string,
  seal?: SealDecision,
): PreparedEvent {
  return prepareEncoded(encodeEvent(event, newId), seal);
}

/**
 * The columns stores index for a decision (also to find its index rows again, to prune it),
 * the same from the decision as submitted and from its leaf once sealed.
 */
export function decisionFacts(event: Extract<Event, { type: 'decision' }>): DecisionFacts {
  const reasonCodes: string[] = [];
  for (const reason of event.rationale.reasons ?? []) {
    if (!reasonCodes.includes(reason.code)) reasonCodes.push(reason.code);
  }
  const { label, score } = event.prediction;
  return {
    model: event.model.name,
    modelVersion: event.model.version,
    subject: event.subject?.id ?? null,
    reasonCodes,
    labels: event.labels === undefined ? [] : Object.entries(event.labels),
    summary: event.rationale.summary,
    label: label === undefined ? null : labelText(label),
    score: score ?? null,
    confidence: event.confidence ?? null,
    fields: decisionFieldMask(event as unknown as Readonly<Record<string, unknown>>),
  };
}
