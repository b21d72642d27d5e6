import { copyFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { expandEventText } from '@declog/core';
import type { TestEvent } from './event-factory.js';
import { buildLedger, ingestInto, signCheckpointOf } from './ledger-store.js';
import type { TestStore } from './test-store.js';

/**
 * Logs made by the real CLI and server, for the audit tests: `declog ingest --db` stores the
 * events, and a `declog serve` started and stopped on the file signs a checkpoint of it.
 */

export { chainEvents } from './ledger-store.js';

/** The SQLite log in the file `db`, as the store-neutral helpers take it. */
export const sqliteTestStore = (db: string): TestStore => ({
  location: `sqlite:${db}`,
  args: ['--db', db],
  cwd: dirname(db),
  keyFile: `${db}.key`,
});

/** Appends events to the database with `declog ingest --db`. */
export const ingest = (db: string, events: readonly TestEvent[]): Promise<void> =>
  ingestInto(sqliteTestStore(db), events);

/** Starts and stops `declog serve` on the database, which signs a checkpoint of all of it. */
export const signCheckpoint = (db: string, ...flags: string[]): Promise<void> =>
  signCheckpointOf(sqliteTestStore(db), flags);

/**
 * Builds a log batch by batch, signing a checkpoint after each batch but the last when
 * `unsignedTail` is set. Returns the checkpoint sizes.
 */
export const buildLedgerDb = (
  db: string,
  batches: readonly number[],
  options: { readonly unsignedTail?: boolean } = {},
): Promise<number[]> => buildLedger(sqliteTestStore(db), batches, options);

/** Copies a (closed) database and its signing key to `to`. */
export function copyDb(from: string, to: string): string {
  for (const suffix of ['', '-wal', '-shm', '.key', '.master-key']) {
    if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
  }
  return to;
}

/** Runs `change` on the database file directly, as someone with access to the file could. */
export function withDb<T>(db: string, change: (sql: Database.Database) => T): T {
  const sql = new Database(db);
  try {
    return change(sql);
  } finally {
    sql.close();
  }
}

export function setting(db: string, key: string): string {
  return withDb(db, (sql) => {
    const row = sql.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    if (!row) throw new Error(`no setting ${key}`);
    return row.value;
  });
}

export function body(db: string, seq: number): string {
  return withDb(db, (sql) => {
    const row = sql.prepare('SELECT body FROM events WHERE seq = ?').get(seq) as
      { body: string } | undefined;
    if (!row) throw new Error(`no event at seq ${seq}`);
    return expandEventText(row.body);
  });
}
