import { canonicalJson } from '../canonical-json.js';
import { encodeBase64 } from '../ledger/_base64.js';
import { utf8 } from '../ledger/_bytes.js';
import { sha256 } from '../ledger/_crypto.js';
import type { PersonalValues } from './personal-commitment.js';

/** Bytes of salt. 256 bits: the salt is what keeps a low-entropy value from being guessed. */
export const SALT_BYTES = 32;

/** base64(SHA-256(salt ‖ canonical JSON of values)); the salt's fixed length delimits it. */
export function commitmentOf(salt: Uint8Array, values: PersonalValues): string {
  const text = utf8(canonicalJson(values));
  const input = new Uint8Array(salt.length + text.length);
  input.set(salt, 0);
  input.set(text, salt.length);
  return encodeBase64(sha256(input));
}

/** The additional data that ties a sealed record to one event and one commitment. */
export function personalAad(eventId: string, commitment: string): Uint8Array {
  return utf8(canonicalJson(['declog/personal/v1', eventId, commitment]));
}
