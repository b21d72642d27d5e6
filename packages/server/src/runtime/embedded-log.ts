import { Worker } from 'node:worker_threads';
import { isDeclogError, type ErrorDetail } from '../errors.js';
import { ERROR_STATUS } from '../http/error-status.js';
import type {
  EmbeddedLogData,
  EmbeddedLogReady,
  EmbeddedLogReply,
  EmbeddedLogRequest,
} from './embedded-log-protocol.js';
import { errorOf } from './writer-failure.js';

export interface EmbeddedLogOptions {
  /** The SQLite database file, made (with its schema) if it does not exist. */
  readonly db: string;
  /** The tenant whose decision log to append to (default `default`); another must exist. */
  readonly tenant?: string | undefined;
  /** A file holding the master key (as `--master-key FILE`). */
  readonly masterKeyFile?: string | undefined;
  /** The master key's text (as `$DECLOG_MASTER_KEY`); else `DB.master-key`, made on first use. */
  readonly masterKey?: string | undefined;
}

/** What became of a batch: what `POST /v1/events` would have answered. */
export type EmbeddedAnswer =
  | { readonly ok: true; readonly created: number; readonly duplicates: number }
  | {
      readonly ok: false;
      /** The HTTP status the server sends for `code`. */
      readonly status: number;
      readonly code: string;
      readonly message: string;
      readonly details: readonly ErrorDetail[];
    };

/** A process's own decision log, appended to on a thread of its own. */
export interface EmbeddedLog {
  /** Stores NDJSON lines (one event each) whole or not at all. Never rejects. */
  ingest(lines: readonly string[]): Promise<EmbeddedAnswer>;
  /** True once the thread has stopped (closed, or failed): open another to go on. */
  readonly stopped: boolean;
  /** Indexes what waits, closes the database and ends the thread. */
  close(): Promise<void>;
}

/**
 * Opens the decision log in the SQLite file `db` for this process to append to, as
 * `declog ingest --db` does: through the one ingest service, on a thread that owns the
 * connection, so that parsing, sealing and SQLite's commits never hold up the caller's thread.
 * Rejects with why the database could not be opened (not a declog database, a newer schema,
 * no master key, an unknown tenant). The thread keeps the process alive only while a batch is
 * being stored.
 *
 * @example
 * const log = await openEmbeddedLog({ db: './declog.db' });
 * const answer = await log.ingest([JSON.stringify(event)]);
 */
export function openEmbeddedLog(options: EmbeddedLogOptions): Promise<EmbeddedLog> {
  const worker = new Worker(new URL('./embedded-log-thread.js', import.meta.url), {
    // The thread runs the server's own modules and needs none of the caller's node options;
    // inherited, some would break it (`node --input-type=module -e …`, a notebook's kernel).
    execArgv: [],
    workerData: {
      location: `sqlite:${options.db}`,
      tenant: options.tenant,
      masterKeyFile: options.masterKeyFile,
      masterKeyText: options.masterKey,
    } satisfies EmbeddedLogData,
  });
  const pending = new Map<number, (reply: EmbeddedLogReply) => void>();
  let nextId = 0;
  let stopped: string | null = null;
  let closing: Promise<void> | undefined;
  // Held open while a batch is being stored and while the thread closes the database.
  const settle = () => {
    if (pending.size === 0 && closing === undefined) worker.unref();
  };
  const stop = (why: string) => {
    stopped ??= why;
    for (const [id, answer] of pending)
      answer({ id, ok: false, error: { name: 'Error', message: why } });
    pending.clear();
  };
  const request = (message: { kind: 'ingest'; lines: readonly string[] } | { kind: 'close' }) =>
    new Promise<EmbeddedLogReply>((resolve) => {
      const id = (nextId += 1);
      if (stopped !== null) {
        resolve({ id, ok: false, error: { name: 'Error', message: stopped } });
        return;
      }
      pending.set(id, resolve);
      worker.ref();
      worker.postMessage({ ...message, id } as EmbeddedLogRequest);
    });

  return new Promise<EmbeddedLog>((resolve, reject) => {
    worker.once('error', (error) => {
      reject(error);
      stop(`the embedded log's thread failed: ${error.message}`);
    });
    worker.once('exit', (code) => {
      const why = `the embedded log's thread stopped (exit code ${code})`;
      reject(new Error(why));
      stop(stopped ?? why);
    });
    worker.once('message', (ready: EmbeddedLogReady) => {
      if (!ready.ready) {
        reject(errorOf(ready.error));
        return;
      }
      worker.unref();
      worker.on('message', (reply: EmbeddedLogReply) => {
        const answer = pending.get(reply.id);
        pending.delete(reply.id);
        answer?.(reply);
        settle();
      });
      resolve({
        async ingest(lines) {
          const reply = await request({ kind: 'ingest', lines });
          return reply.ok
            ? { ok: true, created: reply.created, duplicates: reply.duplicates }
            : failed(errorOf(reply.error));
        },
        get stopped() {
          return stopped !== null;
        },
        close() {
          closing ??= (async () => {
            if (stopped !== null) return;
            const ended = new Promise<void>((done) => worker.once('exit', () => done()));
            const reply = await request({ kind: 'close' });
            stopped = 'the embedded log is closed';
            if (!reply.ok) throw errorOf(reply.error);
            await ended;
          })();
          return closing;
        },
      });
    });
  });
}

/** A refusal as the HTTP API would answer it; any other failure is the store's (503). */
function failed(error: Error): EmbeddedAnswer {
  if (isDeclogError(error)) {
    const { code, message, details } = error;
    return { ok: false, status: ERROR_STATUS[code], code, message, details };
  }
  return { ok: false, status: 503, code: 'store_unavailable', message: error.message, details: [] };
}
