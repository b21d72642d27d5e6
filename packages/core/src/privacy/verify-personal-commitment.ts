import { sortedKeys } from '../canonical-json.js';
import { decodeBase64 } from '../ledger/_base64.js';
import { failure, type Failure } from '../ledger/failure.js';
import { SALT_BYTES, commitmentOf } from './_commitment.js';
import type { PersonalCommitment, PersonalValues } from './personal-commitment.js';

/** Why disclosed values do not match a leaf's `personal` member. */
export type CommitmentFailureCode = 'malformed-salt' | 'fields-mismatch' | 'commitment-mismatch';

/**
 * Checks disclosed personal values (and the salt disclosed with them, base64) against the
 * `personal` member of a leaf. With an inclusion proof of that leaf, a third party learns
 * that these values are the ones the log committed to, without trusting the server.
 *
 * @example verifyPersonalCommitment(leaf.personal, opened.salt, opened.values) // { ok: true }
 */
export function verifyPersonalCommitment(
  personal: PersonalCommitment,
  salt: string,
  values: PersonalValues,
): { readonly ok: true } | Failure<CommitmentFailureCode> {
  const saltBytes = decodeBase64(salt);
  if (saltBytes?.length !== SALT_BYTES) {
    return failure('malformed-salt', `the salt is not the base64 of ${SALT_BYTES} bytes`);
  }
  const names = sortedKeys(values);
  if (names.length !== personal.fields.length || names.some((n, i) => n !== personal.fields[i])) {
    return failure('fields-mismatch', 'the values do not name exactly the sealed fields');
  }
  if (commitmentOf(saltBytes, values) !== personal.commitment) {
    return failure('commitment-mismatch', 'the values and salt do not hash to the commitment');
  }
  return { ok: true };
}
