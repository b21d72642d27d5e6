// Worker-thread entry: folds an SQLite file's write-ahead log back into the database file
// at a steady pace, so that the server's own connection never stops to do it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { WalCheckpointWorkerData } from './wal-checkpointer.js';

if (!parentPort) throw new Error('wal-checkpoint-worker must run in a worker thread');
const port = parentPort;
const { path, intervalMs } = workerData as WalCheckpointWorkerData;

const db = new Database(path, { fileMustExist: true });
// The copied pages are flushed before the log is reused, as the server's own commits are.
db.pragma('synchronous = FULL');
// PASSIVE: copies what no reader still needs and never waits for readers or writers.
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => checkpoint.run(), intervalMs);

port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
