import { canonicalJson, canonicalMembers, sortedKeys } from '../canonical-json.js';
import type { Event } from '../contract/event-schema.js';
import { timestampMillis } from '../contract/timestamp.js';
import type { DecisionFacts, PreparedEvent } from './prepared-event.js';

/**
 * Settles a valid event's id (keeping the producer's, or taking `newId()`), encodes it as
 * canonical JSON members, and extracts the columns stores index.
 *
 * Any nesting depth: canonicalJson keeps an explicit stack.
 *
 * @throws TypeError when a free-form value has no canonical JSON form (a lone surrogate, say).
 */
export function prepareEvent(event: Event, newId: () => string): PreparedEvent {
  const id = event.id ?? newId();
  const withId = event.id === undefined ? { ...event, id } : (event as Event & { id: string });
  const members = canonicalMembers(withId);
  const base = {
    id,
    type: event.type,
    occurredMs: timestampMillis(event.occurred_at),
    members,
    // Members, the commas between them and the braces: the canonical JSON's byte length.
    bytes: members.reduce((sum, member) => sum + Buffer.byteLength(member) + 1, 1),
  };
  switch (event.type) {
    case 'decision':
      return { ...base, decisionId: null, kind: null, decision: decisionFacts(event) };
    case 'action':
      return { ...base, decisionId: event.decision_id, kind: event.action.kind, decision: null };
    case 'outcome':
      return { ...base, decisionId: event.decision_id, kind: event.outcome.status, decision: null };
    case 'annotation':
      return { ...base, decisionId: event.decision_id, kind: null, decision: null };
  }
}

/**
 * `prepareEvent` of `event`, a decision derived from `prepared`'s (same id) that differs from
 * it only in the top-level members named in `changed`: the other members' encodings are
 * reused, which spares encoding the whole event again (sealing changes a few members of each).
 *
 * @throws TypeError as `prepareEvent`.
 */
export function prepareChangedDecision(
  prepared: PreparedEvent,
  event: Extract<Event, { type: 'decision' }> & { readonly id: string },
  changed: ReadonlySet<string>,
): PreparedEvent {
  const kept = new Map<string, string>();
  // Member names are the contract's own, which need no escaping: `"name":…`.
  for (const member of prepared.members) kept.set(member.slice(1, member.indexOf('"', 1)), member);
  const members: string[] = [];
  const record = event as Readonly<Record<string, unknown>>;
  for (const key of sortedKeys(event)) {
    const value = record[key];
    if (value === undefined) continue;
    const reused = changed.has(key) ? undefined : kept.get(key);
    members.push(reused ?? `${canonicalJson(key)}:${canonicalJson(value)}`);
  }
  return {
    ...prepared,
    members,
    bytes: members.reduce((sum, member) => sum + Buffer.byteLength(member) + 1, 1),
    decision: decisionFacts(event),
  };
}

/** The columns stores index for a decision (also to find its index rows again, to prune it). */
export function decisionFacts(event: Extract<Event, { type: 'decision' }>): DecisionFacts {
  return {
    model: event.model.name,
    modelVersion: event.model.version,
    subject: event.subject?.id ?? null,
    reasonCodes: [...new Set((event.rationale.reasons ?? []).map((r) => r.code))],
    labels: Object.entries(event.labels ?? {}),
    summary: event.rationale.summary,
  };
}
