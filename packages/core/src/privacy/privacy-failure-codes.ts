import type { CommitmentFailureCode } from './verify-personal-commitment.js';
import type { MasterKeyFailureCode } from './master-key.js';
import type { MasterKeyRingFailureCode } from './master-key-ring.js';
import type { OpenFailureCode } from './open-personal-data.js';
import type { PersonalFieldFailureCode } from './personal-fields.js';
import type { UnwrapFailureCode } from './unwrap-subject-key.js';

/** Every failure code of the privacy functions, in one union. */
export type PrivacyFailureCode =
  | CommitmentFailureCode
  | MasterKeyFailureCode
  | MasterKeyRingFailureCode
  | OpenFailureCode
  | PersonalFieldFailureCode
  | UnwrapFailureCode;

/**
 * Every {@link PrivacyFailureCode} at run time, for docs/privacy.md's test to compare with.
 * The record type makes a code added to a union without a line here a compile error.
 */
export const PRIVACY_FAILURE_CODES = Object.keys({
  'commitment-mismatch': true,
  'fields-mismatch': true,
  'foreign-master-key': true,
  'malformed-master-key': true,
  'malformed-salt': true,
  'malformed-sealed-data': true,
  'malformed-wrapped-key': true,
  'not-sealed': true,
  'retired-master-key': true,
  undecryptable: true,
  'unknown-master-key': true,
  'unknown-personal-field': true,
} satisfies Record<PrivacyFailureCode, true>) as readonly PrivacyFailureCode[];
