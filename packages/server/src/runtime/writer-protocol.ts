// The messages between the serving thread and the SQLite writer thread.

/** What a request asks of the writer: a method of a log, of the governance tables, or of the database. */
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

/** What the writer thread is started with. */
export interface WriterData {
  readonly path: string;
  readonly backgroundCheckpoints: boolean;
}

/** The first message of the writer: the database is open and migrated, or could not be. */
export type WriterReady =
  | { readonly ready: true; readonly taskId: number | null }
  | { readonly ready: false; readonly error: WriterFailure };

/** The log methods that change a log: sent to the writer. Every other one reads. */
export const LOG_WRITES = [
  'append',
  'appendSealed',
  'shredPersonalData',
  'prune',
  'addCheckpoint',
  'initSetting',
  'retentionCandidates',
] as const;

/** The governance methods that change the tables: sent to the writer. */
export const GOVERNANCE_WRITES = [
  'addTenant',
  'addKey',
  'putKey',
  'revokeKey',
  'putTenantSetting',
  'initTenantSetting',
  'replaceTenantSetting',
  'initSubjectKeys',
  'initSubjectKey',
  'replaceWrappedKeys',
  'eraseSubjectKey',
  'addHold',
  'releaseHold',
  'putAccessDetails',
  'deleteAccessDetails',
] as const;
