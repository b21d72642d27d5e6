import { canonicalJson } from '../canonical-json.js';
import { transientUtf8 } from '../ledger/_bytes.js';
import { sha256Base64 } from '../ledger/_crypto.js';
import type { PersonalValues } from './personal-commitment.js';

/** Bytes of salt. 256 bits: the salt is what keeps a low-entropy value from being guessed. */
export const SALT_BYTES = 32;

/** base64(SHA-256(salt ‖ canonical JSON of values)); the salt's fixed length delimits it. */
export function commitmentOf(salt: Uint8Array, values: PersonalValues): string {
  return commitmentOfText(salt, canonicalJson(values));
}

/** {@link commitmentOf}, given the values' canonical JSON already. */
export function commitmentOfText(salt: Uint8Array, canonicalValues: string): string {
  return sha256Base64(salt, canonicalValues);
}

/** The additional data that ties a sealed record to one event and one commitment. */
export function personalAad(eventId: string, commitment: string): Uint8Array {
  // Used at once (sealing, opening) and dropped: see transientUtf8.
  return transientUtf8(canonicalJson(['declog/personal/v1', eventId, commitment]));
}
