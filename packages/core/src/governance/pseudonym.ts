import { hmacSha256 } from '../ledger/_crypto.js';
import { MIN_PSEUDONYM_KEY_BYTES, keyedPseudonym } from './keyed-pseudonym.js';

export { MIN_PSEUDONYM_KEY_BYTES } from './keyed-pseudonym.js';

/**
 * The keyed pseudonym of a JSON value: `hmac:` and the base64url of the first 16 bytes of
 * HMAC-SHA256(key, canonical JSON of the value). Equal values get equal pseudonyms under one
 * key, so joins and group-bys still work; without the key a pseudonym cannot be reversed or
 * checked against a guess. The string `"42"` and the number `42` get different pseudonyms.
 *
 * @example pseudonym('ann@example.com', key) // 'hmac:3q2-7wAAAAB...' (27 characters)
 */
export function pseudonym(value: unknown, key: Uint8Array): string {
  if (key.length < MIN_PSEUDONYM_KEY_BYTES) {
    throw new RangeError(`a pseudonym key has at least ${MIN_PSEUDONYM_KEY_BYTES} bytes`);
  }
  return keyedPseudonym(value, (text) => hmacSha256(key, text));
}
