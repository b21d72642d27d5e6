import type Database from 'better-sqlite3';
import type { EventStore } from '@declog/core';
import { sqliteDecisionIndex, type SqliteDecisionIndex } from './sqlite-decision-index.js';
import { sqliteLogAnalytics } from './sqlite-log-analytics.js';
import { sqliteLogAppends } from './sqlite-log-appends.js';
import { sqliteLogCheckpoints } from './sqlite-log-checkpoints.js';
import { tenantOfLog, type SqliteLogContext } from './sqlite-log-context.js';
import { sqliteLogReads } from './sqlite-log-reads.js';
import { sqliteLogRetention } from './sqlite-log-retention.js';
import { sqliteLogTree } from './sqlite-log-tree.js';

/** One log of an SQLite database, with its decision index for whoever drives it. */
export interface SqliteLogStore extends EventStore {
  readonly decisionIndex: SqliteDecisionIndex;
}

/** How many appended decisions may wait for the decision index before an append indexes them. */
export const INDEX_LAG_ENTRIES = 8192;

/**
 * One log of an SQLite database: its tables are the default log's names with `prefix` in
 * front. The parts of the store (appends, reads, retention, checkpoints) are separate modules
 * over one connection; the decision index follows the log and is caught up by whatever reads
 * it, and by appends once `INDEX_LAG_ENTRIES` decisions wait. Closing it leaves the connection, which
 * belongs to the database, open.
 */
export function sqliteLogStore(
  db: Database.Database,
  prefix: string,
  logId: string,
  hooks: {
    readonly onTextDeleted?: () => void;
    /** For a read-only connection: brings the decision index up to the log elsewhere. */
    readonly catchUpIndex?: () => unknown;
  } = {},
): SqliteLogStore {
  const ctx: SqliteLogContext = { db, p: prefix, logId, tenant: tenantOfLog(logId) };
  const tree = sqliteLogTree(ctx);
  const index = sqliteDecisionIndex(ctx);
  const appends = sqliteLogAppends(ctx, tree, index);
  const indexed = async () => {
    if (!db.readonly) index.catchUp();
    else if (hooks.catchUpIndex && index.behind()) await hooks.catchUpIndex();
  };
  return {
    decisionIndex: index,
    async append(events, recordedAt, options) {
      const result = await appends.append(events, recordedAt, options);
      if (index.queued() >= INDEX_LAG_ENTRIES) index.catchUp();
      return result;
    },
    appendSealed: appends.appendSealed,
    ...sqliteLogReads(ctx, tree, indexed),
    ...sqliteLogAnalytics(ctx, indexed),
    ...sqliteLogRetention(ctx, index, { ...hooks, onPruned: () => tree.forget() }),
    ...sqliteLogCheckpoints(ctx),
    async close() {
      // The connection is the database's; see openSqliteStore. What waits is indexed first.
      if (db.open && !db.readonly) index.catchUp();
    },
  };
}
