import {
  LIMITS,
  prepareEvent,
  validateEvent,
  type AppendedItem,
  type EventStore,
  type PreparedEvent,
} from '@declog/core';
import { DeclogError, type ErrorDetail } from '../errors.js';

/** A submitted event before validation, with the size of its JSON text in bytes. */
export interface RawEvent {
  readonly value: unknown;
  readonly bytes: number;
}

export interface IngestDeps {
  readonly store: EventStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * Validates a batch and appends it atomically: every event is stored, or none is.
 * Throws a DeclogError naming every bad field of every bad event, or every conflicting id.
 */
export async function ingestEvents(
  deps: IngestDeps,
  raw: readonly RawEvent[],
): Promise<readonly AppendedItem[]> {
  if (raw.length > LIMITS.maxEventsPerRequest) {
    throw new DeclogError(
      'too_many_events',
      `a request holds at most ${LIMITS.maxEventsPerRequest} events; this one has ${raw.length}`,
    );
  }
  const oversize: ErrorDetail[] = [];
  raw.forEach((event, index) => {
    if (event.bytes > LIMITS.maxEventBytes) {
      oversize.push({
        index,
        path: '',
        message: `event is ${event.bytes} bytes; the limit is ${LIMITS.maxEventBytes}`,
      });
    }
  });
  if (oversize.length > 0) {
    throw new DeclogError('event_too_large', `${oversize.length} event(s) too large`, oversize);
  }

  const details: ErrorDetail[] = [];
  const prepared: PreparedEvent[] = [];
  raw.forEach((event, index) => {
    const result = validateEvent(event.value);
    if (result.ok) prepared.push(prepareEvent(result.event, deps.newId));
    else for (const issue of result.issues) details.push({ index, ...issue });
  });
  if (details.length > 0) {
    const bad = new Set(details.map((d) => d.index)).size;
    throw new DeclogError(
      'invalid_event',
      `${bad} of ${raw.length} event(s) are invalid; nothing was stored`,
      details,
    );
  }

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
