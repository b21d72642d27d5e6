import {
  LIMITS,
  maskEvent,
  prepareEvent,
  validateEvent,
  type AppendedItem,
  type Event,
  type EventStore,
  type IdentifiedEvent,
  type MaskingPolicy,
  type PreparedEvent,
} from '@declog/core';
import { DeclogError, type ErrorDetail } from '../errors.js';

export interface IngestDeps {
  readonly store: EventStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * A tenant's masking policy and the key of its pseudonyms. Plain data, so that it crosses to
 * a prepare worker by structured clone.
 */
export interface IngestPolicy {
  readonly masking: MaskingPolicy;
  readonly pseudonymKey: Uint8Array;
}

/**
 * Checks a batch of submitted events and prepares each for storage, naming every bad field
 * of every bad event. With a policy, each valid event is masked before it is encoded, so
 * that what masking removes is never stored or hashed. Pure CPU work, separate from the
 * append so that it can run anywhere.
 */
export function prepareBatch(
  events: readonly unknown[],
  newId: () => string,
  policy?: IngestPolicy,
): readonly PreparedEvent[] {
  return prepareBatchWithSources(events, newId, policy).prepared;
}

/** A batch prepared, and beside each event the valid (masked) event it was prepared from. */
export interface PreparedBatch {
  readonly prepared: readonly PreparedEvent[];
  /** `sources[i]` is what `prepared[i]` encodes, id included: sealing reads it as it is. */
  readonly sources: readonly IdentifiedEvent[];
}

/** {@link prepareBatch}, also giving the events prepared from. */
export function prepareBatchWithSources(
  events: readonly unknown[],
  newId: () => string,
  policy?: IngestPolicy,
): PreparedBatch {
  if (events.length > LIMITS.maxEventsPerRequest) {
    throw new DeclogError(
      'too_many_events',
      `a request holds at most ${LIMITS.maxEventsPerRequest} events; this one has ${events.length}`,
    );
  }
  // One list in index order: an event is either invalid or too large, never both.
  const details: ErrorDetail[] = [];
  let oversize = 0;
  const prepared: PreparedEvent[] = [];
  const sources: IdentifiedEvent[] = [];
  events.forEach((value, index) => {
    const result = validateEvent(value);
    if (!result.ok) {
      for (const issue of result.issues) details.push({ index, ...issue });
      return;
    }
    let event: PreparedEvent;
    let valid: Event;
    try {
      valid = policy ? maskEvent(result.event, policy.masking, policy.pseudonymKey) : result.event;
      event = prepareEvent(valid, newId);
    } catch (error) {
      // Free-form fields may hold what JSON allows but canonical JSON cannot (a lone
      // surrogate): the client's mistake, not a server error.
      const message = `cannot be stored as canonical JSON: ${(error as Error).message}`;
      details.push({ index, path: '', message });
      return;
    }
    if (event.bytes > LIMITS.maxEventBytes) {
      oversize += 1;
      details.push({
        index,
        path: '',
        message: `event is ${event.bytes} bytes as canonical JSON; the limit is ${LIMITS.maxEventBytes}`,
      });
    } else {
      prepared.push(event);
      sources.push(valid.id === event.id ? (valid as IdentifiedEvent) : { ...valid, id: event.id });
    }
  });
  const bad = new Set(details.map((d) => d.index)).size;
  // Clients rely on the code of an oversize event, but get every other bad field with it.
  if (oversize > 0) {
    const invalid = bad > oversize ? `, ${bad - oversize} invalid` : '';
    throw new DeclogError('event_too_large', `${oversize} event(s) too large${invalid}`, details);
  }
  if (details.length > 0) {
    throw new DeclogError(
      'invalid_event',
      `${bad} of ${events.length} event(s) are invalid; nothing was stored`,
      details,
    );
  }
  return { prepared, sources };
}

/** Appends prepared events atomically: every event is stored, or none is. */
export async function appendPrepared(
  deps: Pick<IngestDeps, 'store' | 'now'>,
  prepared: readonly PreparedEvent[],
): Promise<readonly AppendedItem[]> {
  const result = await deps.store.append(prepared, deps.now().toISOString());
  if (!result.ok) {
    throw new DeclogError(
      'id_conflict',
      `${result.conflicts.length} event id(s) are already stored with different content; nothing was stored`,
      result.conflicts.map((c) => ({
        index: c.index,
        path: 'id',
        message: `id "${c.id}" is already stored at seq ${c.seq} with different content`,
      })),
    );
  }
  return result.items;
}

/**
 * Validates a batch and appends it atomically. Throws a DeclogError naming every bad field of
 * every bad event, or every conflicting id.
 */
export async function ingestEvents(
  deps: IngestDeps,
  events: readonly unknown[],
): Promise<readonly AppendedItem[]> {
  return appendPrepared(deps, prepareBatch(events, deps.newId));
}
