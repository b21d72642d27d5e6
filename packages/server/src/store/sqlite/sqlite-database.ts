import Database from 'better-sqlite3';
import type { EventStore, LogDatabase } from '@declog/core';
import { migrateSqlite } from './sqlite-migrate.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { createPrivateFile } from './create-private-file.js';
import { sqliteLogTablesSql } from './sqlite-log-tables.js';
import { sqliteGovernanceStore } from './sqlite-governance-store.js';
import { sqliteDecisionIndex } from './sqlite-decision-index.js';
import { tenantOfLog } from './sqlite-log-context.js';
import { sqliteLogStore, type SqliteLogStore } from './sqlite-store.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export interface SqliteStoreOptions {
  /** Open an existing database only; never create the file. */
  readonly mustExist?: boolean;
  /**
   * Open an existing, migrated database for reading only (no migrations, no write lock), as
   * extra readers beside a writer do; appends then fail.
   */
  readonly readonly?: boolean;
  /**
   * Checkpoint the write-ahead log on a thread of its own rather than inside the commit that
   * fills it (for a long-running server; see `startWalCheckpointer`).
   */
  readonly backgroundCheckpoints?: boolean;
  /**
   * For a read-only database: how to bring a log's decision index up to the log when a read
   * finds it lagging (the writer thread of a server does it). By default a short-lived
   * connection of its own does.
   */
  readonly catchUpIndex?: (logId: string) => Promise<unknown>;
}

/**
 * The default log of an SQLite database, which owns the connection: closing it closes the
 * database. See `openSqliteDatabase` for the other logs in the file.
 */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): EventStore {
  const database = openSqliteDatabase(path, options);
  return { ...database.logSync(DEFAULT_LOG), close: () => database.close() };
}

/** The log every database starts with: the `default` tenant's decision log. */
export const DEFAULT_LOG = 'default';

export interface SqliteDatabase extends LogDatabase {
  /** `log`, synchronously: SQLite answers at once. */
  logSync(logId: string): SqliteLogStore;
}

/** How much of the database file is read through a memory map (SQLite's own cap is 2 GB). */
const MMAP_BYTES = 2 ** 31;

/** The most memory a connection's page cache may take, in KiB (SQLite's default is 2,000). */
const PAGE_CACHE_KIB = 65_536;

/**
 * One SQLite file in WAL mode holding every log (each in its own tables, named with a prefix
 * kept in the `logs` registry; the default log's have none) and the governance tables. One
 * connection serves them all: better-sqlite3 runs each transaction to its end synchronously.
 */
export function openSqliteDatabase(path: string, options: SqliteStoreOptions = {}): SqliteDatabase {
  const readonly = options.readonly ?? false;
  if (!readonly && !(options.mustExist ?? false)) createPrivateFile(path);
  const db = new Database(path, {
    fileMustExist: readonly || (options.mustExist ?? false),
    readonly,
  });
  db.pragma('busy_timeout = 10000');
  // Pages are read from the operating system's cache through a memory map rather than a
  // system call each: the random lookups of a read (the sealed records and subject keys of a
  // page of decisions) take about half the time on a large file. SQLite caps the size.
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  // A batch of 1,000 decisions changes thousands of pages scattered over the indexes keyed by
  // subject. SQLite's default 2 MB cache cannot hold them: the pages it drops are read back
  // (from the write-ahead log by a system call each, not through the map) and some are written
  // out twice. Memory is taken as pages are read, up to this cap.
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Deleted content (destroyed subject keys, shredded records) is overwritten, not left in
    // free pages.
    db.pragma('secure_delete = ON');
    migrateSqlite(db, SQLITE_MIGRATIONS);
  }
  const walCheckpointer =
    options.backgroundCheckpoints && !readonly && path !== ':memory:'
      ? startWalCheckpointer(db, path)
      : null;
  // Since schema 7 the decision index follows the log (see SqliteDecisionIndex).
  const indexFollowsLog =
    (db
      .prepare<[], number | null>(
        "SELECT max(version) FROM schema_migrations WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations')",
      )
      .pluck()
      .get() ?? 0) >= 7;
  const hasRegistry =
    db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'logs'",
      )
      .get()?.n === 1;
  const prefixOf = hasRegistry
    ? db.prepare<[string], { prefix: string }>('SELECT prefix FROM logs WHERE log_id = ?')
    : null;
  const registeredPrefix = (logId: string): string | null =>
    prefixOf ? (prefixOf.get(logId)?.prefix ?? null) : logId === DEFAULT_LOG ? '' : null;

  const createLog = db.transaction((logId: string): string => {
    const existing = registeredPrefix(logId);
    if (existing !== null) return existing;
    const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM logs').get()?.n ?? 0;
    const prefix = `l${count}_`;
    db.exec(sqliteLogTablesSql(prefix));
    db.prepare('INSERT INTO logs (log_id, prefix) VALUES (?, ?)').run(logId, prefix);
    return prefix;
  });

  const logs = new Map<string, SqliteLogStore>();
  // A read-only connection cannot bring a log's decision index up to the log (after a writer
  // stopped before it did): a short-lived connection of its own does, as any writer would.
  // The index is derived data; nothing the log holds changes.
  const catchUpElsewhere = (logId: string) => {
    if (path === ':memory:') return;
    const writer = new Database(path, { fileMustExist: true });
    try {
      writer.pragma('busy_timeout = 10000');
      const prefix = registeredPrefix(logId) ?? '';
      sqliteDecisionIndex({ db: writer, p: prefix, logId, tenant: tenantOfLog(logId) }).catchUp();
    } finally {
      writer.close();
    }
  };
  // Logs whose search index lost rows since the last scrub: an FTS5 delete only marks them,
  // their words stay in the index segments until these are merged.
  const prunedText = new Set<string>();
  const logSync = (logId: string): SqliteLogStore => {
    let log = logs.get(logId);
    if (log) return log;
    let prefix = registeredPrefix(logId);
    if (prefix === null) {
      if (readonly) throw new Error(`this database holds no log ${logId}`);
      // Immediate: two processes creating one log at once must agree on its tables.
      prefix = createLog.immediate(logId);
    }
    const logPrefix = prefix;
    log = sqliteLogStore(db, prefix, logId, {
      onTextDeleted: () => prunedText.add(logPrefix),
      ...(readonly && indexFollowsLog
        ? {
            catchUpIndex: options.catchUpIndex
              ? () => options.catchUpIndex?.(logId)
              : () => catchUpElsewhere(logId),
          }
        : {}),
    });
    logs.set(logId, log);
    // What a writer that stopped (crashed) left unindexed is indexed before anything else.
    if (!readonly) log.decisionIndex.catchUp();
    return log;
  };

  return {
    logSync,
    async log(logId) {
      return logSync(logId);
    },
    async hasLog(logId) {
      return registeredPrefix(logId) !== null;
    },
    governance: sqliteGovernanceStore(db, { readonly: readonly || !hasRegistry }),
    async scrub() {
      for (const prefix of prunedText) {
        db.prepare(
          `INSERT INTO ${prefix}decision_text (${prefix}decision_text) VALUES ('optimize')`,
        ).run();
      }
      prunedText.clear();
      // Old copies of overwritten pages live on in the WAL until it is checkpointed and cut.
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async close() {
      // What waits for the decision index is indexed before the connection goes.
      if (!readonly) for (const log of logs.values()) log.decisionIndex.catchUp();
      await walCheckpointer?.stop();
      db.close();
    },
  };
}
