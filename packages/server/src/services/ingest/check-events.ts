import {
  LIMITS,
  encodeEvent,
  maskEvent,
  validateEvent,
  POSTED_BY,
  type EncodedEvent,
  type Event,
  type MaskingPolicy,
  type PostedBy,
} from '@declog/core';
import { DeclogError, type ErrorDetail } from '../../errors.js';
import { forEachInTurns, NO_TURNS, type CpuTurns } from '../cpu-turns.js';

/**
 * A tenant's masking policy and the key of its pseudonyms: what ingest applies to every event
 * before anything of it is encoded.
 */
export interface IngestPolicy {
  readonly masking: MaskingPolicy;
  readonly pseudonymKey: Uint8Array;
}

/**
 * Checks a batch of submitted events and encodes each, naming every bad field of every bad
 * event: each is validated, masked by the tenant's policy (so that what masking removes is
 * never stored or hashed), given an id when it has none, stamped with who posted it (an
 * annotation's `postedBy`, by index, which masking cannot touch), and measured against the size
 * limit.
 *
 * The work is done in slices between which the event loop serves other requests (`turns`).
 *
 * @throws DeclogError `too_many_events`, `invalid_event`, or `event_too_large` (which names
 *   the other bad fields too).
 */
export async function checkEvents(
  values: readonly unknown[],
  newId: () => string,
  policy?: IngestPolicy,
  postedBy: readonly (PostedBy | undefined)[] = [],
  turns: CpuTurns = NO_TURNS,
): Promise<EncodedEvent[]> {
  if (values.length > LIMITS.maxEventsPerRequest) {
    throw new DeclogError(
      'too_many_events',
      `a request holds at most ${LIMITS.maxEventsPerRequest} events; this one has ${values.length}`,
    );
  }
  // One list in index order: an event is either invalid or too large, never both.
  const details: ErrorDetail[] = [];
  let oversize = 0;
  const encoded: EncodedEvent[] = [];
  await forEachInTurns(
    values,
    (value, index) => {
      const result = validateEvent(value);
      if (!result.ok) {
        for (const issue of result.issues) details.push({ index, ...issue });
        return;
      }
      let event: EncodedEvent;
      try {
        const valid: Event = policy
          ? maskEvent(result.event, policy.masking, policy.pseudonymKey)
          : result.event;
        const poster = postedBy[index];
        // A member the log adds, as it adds masking's markers: not part of the contract.
        const stamped: Event & { readonly [POSTED_BY]?: PostedBy } =
          poster === undefined ? valid : { ...valid, [POSTED_BY]: poster };
        event = encodeEvent(stamped, newId);
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
      } else encoded.push(event);
    },
    turns,
  );
  const bad = new Set(details.map((d) => d.index)).size;
  // Clients rely on the code of an oversize event, but get every other bad field with it.
  if (oversize > 0) {
    const invalid = bad > oversize ? `, ${bad - oversize} invalid` : '';
    throw new DeclogError('event_too_large', `${oversize} event(s) too large${invalid}`, details);
  }
  if (details.length > 0) {
    throw new DeclogError(
      'invalid_event',
      `${bad} of ${values.length} event(s) are invalid; nothing was stored`,
      details,
    );
  }
  return encoded;
}
