import type { Event } from '../contract/event-schema.js';
import { maskEventWith, type MaskedEvent } from './mask-event-with.js';
import { parseMaskingPolicy, slotAction, type MaskingPolicy } from './masking-policy.js';
import { MIN_PSEUDONYM_KEY_BYTES, pseudonym } from './pseudonym.js';

export type { MaskedEvent } from './mask-event-with.js';

/**
 * Applies a tenant's masking policy to a valid event with pseudonyms keyed by `pseudonymKey`
 * (node:crypto's HMAC); see `maskEventWith` for the rules.
 *
 * @throws TypeError when the policy does not pass parseMaskingPolicy; RangeError when it
 *   pseudonymises and the key is shorter than 16 bytes.
 */
export function maskEvent(
  event: Event,
  policy: MaskingPolicy,
  pseudonymKey: Uint8Array,
): MaskedEvent {
  if (
    pseudonymKey.length < MIN_PSEUDONYM_KEY_BYTES &&
    parseMaskingPolicy(policy).ok &&
    policy.rules.some((r) => slotAction(r) === 'pseudonymize')
  ) {
    throw new RangeError(`a pseudonym key has at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  }
  return maskEventWith(event, policy, (value) => pseudonym(value, pseudonymKey));
}
