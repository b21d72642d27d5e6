export { canonicalJson, canonicalMembers, isCanonicalJsonText } from './canonical-json.js';
export { canonicalMemberTexts } from './canonical-member-texts.js';
export { jsonText } from './json-text.js';
export { mayRepeatMembers, repeatedMembers } from './repeated-members.js';
export { LIMITS } from './contract/limits.js';
export {
  ACTION_KINDS,
  ActionEvent,
  AnnotationEvent,
  DecisionEvent,
  EVENT_TYPES,
  Event,
  EventId,
  OUTCOME_STATUSES,
  OutcomeEvent,
} from './contract/event-schema.js';
export type { ActionKind, EventType, OutcomeStatus } from './contract/event-schema.js';
export {
  validateEvent,
  type EventValidation,
  type ValidateOptions,
} from './contract/validate-event.js';
export { formatPath, type ValidationIssue } from './contract/validation-issue.js';
export { timestampMillis } from './contract/timestamp.js';
export { TIMESTAMP_FORMAT, dateProblem, timestampProblem } from './contract/timestamp-problem.js';
export type {
  DecisionFacts,
  LogEntryType,
  PreparedEvent,
  SealedPersonal,
} from './event/prepared-event.js';
export {
  decisionFacts,
  encodeEvent,
  prepareEncoded,
  prepareEvent,
  type EncodedEvent,
  type SealDecision,
} from './event/prepare-event.js';
export { fromMembers, type PreparedFields } from './event/from-members.js';
export {
  DECISION_FIELDS,
  REQUIRED_DECISION_FIELDS,
  decisionFieldMask,
  labelOf,
  labelText,
  outcomeLabelOf,
  type DecisionField,
} from './event/decision-fields.js';
export { encodeMembers } from './event/encode-members.js';
export { assertPersonalSubject } from './event/assert-personal-subject.js';
export {
  contentDigest,
  contentText,
  leafText,
  sameContent,
  sealEvent,
  sealMembers,
  storedContentDigest,
  samePrunedContent,
  storedLeafText,
  type StoredEvent,
} from './event/seal-event.js';
export { textWords } from './query/text-words.js';
export { decodeCursor, encodeCursor, type BoundCursor, type Cursor } from './query/cursor.js';
export { queryFingerprint } from './query/query-fingerprint.js';
export { parseQueryTime, QUERY_TIME_FORMS, type QueryTime } from './query/query-time.js';
export { MAX_PAGE_BYTES, itemsWithinBytes } from './query/page-bytes.js';
export {
  DECISION_QUERY_PARAMETERS,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  MAX_LABEL_FILTERS,
  MAX_QUERY_CHARS,
  MAX_QUERY_WORDS,
  parseDecisionQuery,
  type DecisionFilter,
  type DecisionPageRequest,
  type DecisionQuery,
} from './query/decision-query.js';
export type {
  AppendOptions,
  AppendResult,
  CopiedEntry,
  ShreddedRecord,
  DecisionChainRows,
  DecisionPage,
  DecisionRow,
  Durability,
  SealingKeys,
  EventStore,
  LogAppends,
  LogCheckpoints,
  LogReads,
  LogRetention,
  LogRow,
  OrphanEntry,
  PrunedMark,
  PrunedRow,
  RetentionCandidate,
  SealedEntry,
  StoredCheckpoint,
  StoredPersonal,
  StoredRow,
} from './store/event-store.js';
export { isPruned } from './store/event-store.js';
export type {
  AnalyticsScope,
  BucketCount,
  BucketMetric,
  CountedValue,
  CountWithExamples,
  DecisionOutcomeRow,
  FieldCounts,
  LatestOutcome,
  LogAnalytics,
  ModelUsage,
  QualityCheck,
  ReasonUse,
  ValueCount,
} from './store/log-analytics.js';
export {
  sequenceBatch,
  type AppendConflict,
  type AppendItemStatus,
  type AppendedItem,
  type SequenceResult,
  type SequencedEntry,
  type StoredIdentity,
  type Submitter,
} from './store/sequence-batch.js';
export { sealedEntriesProblem } from './store/sealed-entries-problem.js';
export { compactEventText, compactPiece, expandEventText } from './store/compact-event-text.js';
export {
  INDEX_MEMBERS,
  indexFacts,
  indexFactsOfMembers,
  type IndexFacts,
  type SealedFacts,
} from './store/index-facts.js';
export {
  INDEX_SET_KINDS,
  type IndexElement,
  type IndexReader,
  type IndexSetKind,
  type StoredDecisionColumns,
  type StoredEntryColumns,
  type StoredIndexPage,
  type StoredSealedRecord,
  type StoredTextRow,
  type ValueWeights,
} from './store/index-reader.js';
export {
  expectedElements,
  indexPageProblem,
  labelValue,
  type ExpectedPosition,
  type IndexProblem,
} from './store/index-page-problem.js';
export {
  FINGERPRINT_MODULUS,
  addFingerprints,
  elementWeight,
  fingerprintOf,
  fingerprintOfWeights,
  mulMod,
  positionsFingerprint,
  valueHasher,
  type FingerprintKey,
  type ValueHash,
} from './store/index-fingerprint.js';
export { asRecordValue, sealedRecordProblem } from './store/sealed-record-problem.js';
export * from './ledger/index.js';
export type { LogDatabase } from './store/log-database.js';
export type {
  ApiKeyRecord,
  GovernanceStore,
  HoldKind,
  AddKeyResult,
  AccessDetailsRecord,
  LegalHold,
  SubjectKeyRecord,
  TenantRecord,
  WrappedKeyChange,
} from './store/governance-store.js';
export {
  PERMISSIONS,
  ROLES,
  isRole,
  roleAllows,
  rolesAllowing,
  type Permission,
  type Role,
} from './governance/roles.js';
export { roleRefusal } from './governance/role-refusal.js';
export {
  ALL_TENANTS,
  DEFAULT_TENANT,
  accessLogId,
  decisionLogId,
  tenantNameProblem,
} from './governance/tenant-name.js';
export {
  prepareAccessEntry,
  type AccessActor,
  type AccessEntry,
} from './governance/access-entry.js';
export {
  PLAIN_ACCESS_FILTERS,
  splitAccessPersonal,
  verifyAccessPersonal,
  type AccessPersonalCommitment,
  type AccessPersonalDetails,
  type SplitAccessEntry,
} from './governance/access-personal.js';
export {
  SECURITY_LOG_ID,
  SECURITY_REFUSALS,
  prepareSecurityEntry,
  type SecurityEntry,
  type SecurityRefusal,
} from './governance/security-entry.js';
export * from './privacy/index.js';
export {
  DATE_PRECISIONS,
  SEALABLE_TEXT,
  parseMaskingPolicy,
  type DatePrecision,
  type MaskingPolicy,
  type MaskingPolicyParse,
  type MaskingRule,
  type SealableText,
  type TextPolicy,
} from './governance/masking-policy.js';
export { maskEvent, type MaskedEvent } from './governance/mask-event.js';
export {
  MASK_MARKER_NAMES,
  splitMaskMarkers,
  type MarkerSplit,
  type MaskMarkers,
  type SensitiveTextFlag,
} from './governance/mask-markers.js';
export { MIN_PSEUDONYM_KEY_BYTES, pseudonym } from './governance/pseudonym.js';
export {
  OPERATOR_KEY_ID,
  POSTED_BY,
  splitPostedBy,
  type PostedBy,
  type PostedBySplit,
} from './governance/posted-by.js';
export {
  parseAnnotationPolicy,
  type AnnotationPolicy,
  type AnnotationPolicyParse,
} from './governance/annotation-policy.js';
export {
  SENSITIVE_KINDS,
  detectSensitiveText,
  maskSensitiveText,
  type SensitiveFinding,
  type SensitiveKind,
} from './governance/detect-sensitive-text.js';
export {
  limitsFor,
  parseRetentionPolicy,
  periodStartMs,
  policyPeriods,
  type RetentionLimits,
  type RetentionPeriod,
  type RetentionPolicy,
  type RetentionPolicyParse,
} from './governance/retention-policy.js';
export {
  planRetention,
  type HeldDecision,
  type PeriodCutoffs,
  type RetentionPlan,
  type RetentionStep,
} from './governance/retention-plan.js';
export * from './stats/index.js';
export { durationMs } from './analytics/duration-ms.js';
export { seededSample, mulberry32 } from './analytics/seeded-sample.js';
export { delongAuc } from './analytics/delong-auc.js';
export {
  parseModelDeclaration,
  type ModelDeclaration,
  type ModelDeclarationParse,
} from './analytics/model-declaration.js';
export {
  matchesPattern,
  parseModelPolicy,
  type ModelPolicy,
  type ModelPolicyParse,
} from './analytics/model-policy.js';
