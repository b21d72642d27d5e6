// The messages between the serving thread and the SQLite database thread.

/** What a request asks of the database thread: a method of a log, of the governance tables, or of the database. */
export type WriterTarget =
  | { readonly kind: 'log'; readonly logId: string }
  | { readonly kind: 'governance' }
  | { readonly kind: 'database' };

export interface WriterRequest {
  readonly id: number;
  readonly target: WriterTarget;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** An error as it crosses the thread: enough to throw it again on the other side. */
export interface WriterFailure {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: unknown;
}

export type WriterReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WriterFailure };

/** What the database thread is started with. */
export interface WriterData {
  readonly path: string;
  readonly backgroundCheckpoints: boolean;
}

/** The first message of the database thread: the database is open and migrated, or could not be. */
export type WriterReady =
  | { readonly ready: true; readonly taskId: number | null }
  | { readonly ready: false; readonly error: WriterFailure };

/** Every method of a log's store (EventStore), run on the database thread. */
export const LOG_METHODS = [
  'append',
  'appendSealed',
  'size',
  'eventBySeq',
  'eventById',
  'prunedById',
  'decisionChain',
  'countLinked',
  'queryDecisions',
  'personalData',
  'scan',
  'merkleNodes',
  'setting',
  'retentionCandidates',
  'orphans',
  'shredPersonalData',
  'prune',
  'addCheckpoint',
  'latestCheckpoint',
  'checkpointAt',
  'checkpoints',
  'initSetting',
  'modelUsage',
  'countDecisions',
  'valueCounts',
  'numericValues',
  'decisionOutcomes',
  'bucketCounts',
  'fieldCounts',
  'reasonUse',
  'qualityCheck',
  'decisionSeqs',
  'decisionRowsAt',
] as const;

/** Every method of the governance tables (GovernanceStore), run on the database thread. */
export const GOVERNANCE_METHODS = [
  'addTenant',
  'tenant',
  'tenants',
  'addKey',
  'putKey',
  'keyById',
  'keys',
  'revokeKey',
  'tenantSetting',
  'putTenantSetting',
  'initTenantSetting',
  'replaceTenantSetting',
  'settingOfEveryTenant',
  'subjectKey',
  'subjectKeys',
  'initSubjectKeys',
  'initSubjectKey',
  'subjectKeyPage',
  'replaceWrappedKeys',
  'erasureEpoch',
  'eraseSubjectKey',
  'addHold',
  'holds',
  'releaseHold',
  'putAccessDetails',
  'accessDetails',
  'deleteAccessDetails',
] as const;
