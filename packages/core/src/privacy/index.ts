// Erasure by crypto-shredding: personal values leave the ledger leaf for a record encrypted
// under a per-subject key, the leaf keeps a salted commitment, and destroying the key
// erases the values while every proof still verifies. See docs/privacy.md.
export {
  PERSONAL_FIELDS,
  PERSONAL_PLACEHOLDER,
  personalPointers,
  type PersonalField,
  type PersonalFieldFailureCode,
} from './personal-fields.js';
export {
  PersonalCommitment,
  type PersonalValues,
  type WithPersonal,
} from './personal-commitment.js';
export { SealedPersonalData } from './sealed-personal-data.js';
export { packSealedRecord, unpackSealedRecord } from './packed-sealed-record.js';
export {
  sealDecisionMembers,
  type DecisionSealing,
  type IdentifiedDecision,
  type SealedDecisionMembers,
} from './seal-decision-members.js';
export type { RandomBytes } from './_aes-gcm.js';
export {
  sealPersonalData,
  type CommittedEvent,
  type IdentifiedEvent,
  type SealPersonalDataOptions,
} from './seal-personal-data.js';
export {
  openPersonalData,
  type OpenFailureCode,
  type OpenedPersonalData,
} from './open-personal-data.js';
export { restorePersonalData } from './restore-personal-data.js';
export { openedView, type OpenedPersonal, type OpenedView } from './opened-view.js';
export {
  verifyPersonalCommitment,
  type CommitmentFailureCode,
} from './verify-personal-commitment.js';
export { erasedView, type ErasedPersonal, type SubjectErasure } from './erased-view.js';
export {
  masterKeyId,
  parseMasterKey,
  type MasterKey,
  type MasterKeyFailureCode,
} from './master-key.js';
export { generateSubjectKey } from './generate-subject-key.js';
export { StoredWrappedKey, WrappedKey, wrappingKeyIds } from './wrapped-key.js';
export { WrappedSubjectKey, type SubjectKeyContext } from './wrapped-subject-key.js';
export { wrapSubjectKey } from './wrap-subject-key.js';
export { unwrapSubjectKey, type UnwrapFailureCode } from './unwrap-subject-key.js';
export { rewrapSubjectKey, type RewrapKeys } from './rewrap-subject-key.js';
export {
  rewrapPseudonymKey,
  unwrapPseudonymKey,
  wrapPseudonymKey,
} from './wrapped-pseudonym-key.js';
export { unwrapMasterKey, wrapMasterKey } from './wrapped-master-key.js';
export { MasterKeyRotation, startMasterKeyRotation } from './master-key-rotation.js';
export {
  masterKeyRing,
  singleKeyRing,
  type MasterKeyRing,
  type MasterKeyRingFailureCode,
} from './master-key-ring.js';
export { PRIVACY_FAILURE_CODES, type PrivacyFailureCode } from './privacy-failure-codes.js';
