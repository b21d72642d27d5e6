import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export interface WalCheckpointWorkerData {
  readonly path: string;
  readonly intervalMs: number;
}

/** How often the background thread checkpoints (SQLite's own default is every 1,000 pages). */
export const WAL_CHECKPOINT_INTERVAL_MS = 200;

/** The page count at which a connection checkpoints by itself (SQLite's default). */
const INLINE_CHECKPOINT_PAGES = 1000;

export interface WalCheckpointer {
  /** Stops the thread; the connection checkpoints by itself again. */
  stop(): Promise<void>;
}

/**
 * Moves the checkpoints of `db`'s write-ahead log to a thread of their own, with its own
 * connection: by default the connection whose commit fills the log copies it back into the
 * database file and flushes it, inside that commit, holding up whatever request made it. If
 * the thread fails, the connection goes back to checkpointing by itself.
 */
export function startWalCheckpointer(
  db: Database.Database,
  path: string,
  intervalMs = WAL_CHECKPOINT_INTERVAL_MS,
): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint-worker.js', import.meta.url), {
    workerData: { path, intervalMs } satisfies WalCheckpointWorkerData,
  });
  db.pragma('wal_autocheckpoint = 0');
  let stopping = false;
  const inline = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
  };
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      inline();
      resolve();
    });
  });
  worker.on('error', (error) => {
    if (!stopping) process.emitWarning(`WAL checkpoints fall back to inline: ${error.message}`);
  });
  // A process is not kept alive by this thread, only while it waits for the thread to stop.
  worker.unref();
  return {
    async stop() {
      stopping = true;
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
