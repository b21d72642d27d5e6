// The messages between a process that logs decisions itself (the SDK's embedded mode) and the
// thread that owns its database.
import type { WriterFailure } from './writer-protocol.js';

/** What the thread is started with: the database and how to govern it (see openLocalClient). */
export interface EmbeddedLogData {
  readonly location: string;
  readonly tenant: string | undefined;
  readonly masterKeyFile: string | undefined;
  readonly masterKeyText: string | undefined;
}

/** The first message: the log is open (the database migrated, the master key read), or why not. */
export type EmbeddedLogReady =
  { readonly ready: true } | { readonly ready: false; readonly error: WriterFailure };

export type EmbeddedLogRequest =
  | { readonly id: number; readonly kind: 'ingest'; readonly lines: readonly string[] }
  | { readonly id: number; readonly kind: 'close' };

export type EmbeddedLogReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly created: number;
      readonly duplicates: number;
    }
  | { readonly id: number; readonly ok: false; readonly error: WriterFailure };
