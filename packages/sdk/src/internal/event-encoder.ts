import {
  LIMITS,
  MASK_MARKER_NAMES,
  canonicalJson,
  keyedPseudonym,
  maskEventWith,
  validateEvent,
  type Event,
  type MaskingPolicy,
} from '@declog/core/contract';
import { DecisionLogError } from '../decision-log-error.js';
import type { EventRecord } from './event-record.js';
import { hmacSha256 } from './hmac-sha256.js';
import { utf8Length } from './utf8-length.js';

export interface Masking {
  readonly policy: MaskingPolicy;
  readonly pseudonymKey?: Uint8Array;
}

/**
 * Turns a submitted event into the record the SDK queues: checked with the server's contract
 * (`validateEvent`), masked when a policy is given, and encoded once as JSON (twice as fast
 * as canonical JSON, and as long: only member order differs, and the server canonicalises),
 * so a resend carries the same content and is answered "duplicate".
 *
 * @throws DecisionLogError `invalid_event` (with the server's field paths and wording) or
 *   `event_too_large`.
 */
export function eventEncoder(
  masking: Masking | undefined,
): (event: Record<string, unknown>) => EventRecord {
  const mask = masking === undefined ? undefined : masker(masking);
  return (submitted) => {
    const checked = validateEvent(submitted);
    if (!checked.ok) {
      const type = typeof submitted['type'] === 'string' ? submitted['type'] : 'event';
      throw new DecisionLogError(
        'invalid_event',
        `invalid ${type}: ${checked.issues.map((i) => `${i.path === '' ? '(event)' : i.path} ${i.message}`).join('; ')}`,
        { issues: checked.issues },
      );
    }
    const event = mask === undefined ? checked.event : mask(checked.event);
    let json: string;
    try {
      json = JSON.stringify(event);
      // JSON.stringify writes NaN and Infinity as null and escapes lone surrogates, where the
      // server's canonical JSON refuses both: when the text could hold either, ask the core.
      if (json.includes('null') || json.includes('\\ud')) canonicalJson(event);
    } catch (cause) {
      // Lone surrogates, NaN or Infinity in free-form data, cycles, bigints: JSON cannot hold them.
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new DecisionLogError('invalid_event', `invalid ${event.type}: ${message}`, {
        issues: [{ path: '', message }],
        cause,
      });
    }
    const bytes = utf8Length(json);
    if (bytes > LIMITS.maxEventBytes) {
      throw new DecisionLogError(
        'event_too_large',
        `the ${event.type} is ${bytes} bytes as canonical JSON; the server takes at most ${LIMITS.maxEventBytes}`,
        { issues: [{ path: '', message: `exceeds ${LIMITS.maxEventBytes} bytes` }] },
      );
    }
    return { id: event.id ?? '', json, bytes };
  };
}

function masker(masking: Masking): (event: Event) => Event {
  const hmac = masking.pseudonymKey === undefined ? undefined : hmacSha256(masking.pseudonymKey);
  const pseudonymize = (value: unknown) => {
    if (hmac === undefined) throw new RangeError('a pseudonymize rule needs masking.pseudonymKey');
    return keyedPseudonym(value, hmac);
  };
  return (event) => {
    const masked = maskEventWith(event, masking.policy, pseudonymize) as unknown as Record<
      string,
      unknown
    >;
    // The markers are the log's to write (producers may not send them): send the event alone.
    if (MASK_MARKER_NAMES.some((name) => name in masked)) {
      const copy = { ...masked };
      for (const name of MASK_MARKER_NAMES) Reflect.deleteProperty(copy, name);
      return copy as Event;
    }
    return masked as Event;
  };
}
